"""KINDS: what each kind of recurrent cell has, stated once. The engine, the trace, derived.py and
the figures read this table instead of asking "is it an LSTM?"; static/palette.json's "cells"
block says the same to the page (a test checks that they agree).

Every entry answers the same questions, so a new kind (or a new quantity) is a new row, not a new
branch: which rows the stacked weights hold, which of them are gates, which arrays a layer yields
and in what order, which vector carries memory, which gate keeps it and which one writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Kind:
    """The facts of one cell kind; quantity names are the trace's (palette.json "quantities")."""

    name: str
    blocks: tuple[str, ...]  # the stacked rows of weight_ih / weight_hh, in PyTorch's order
    gates: tuple[str, ...]  # the sigmoid gates, in the order of the trace JSON's "gates"
    quantities: tuple[str, ...]  # every (T, layers, H) array of a layer, in the trace JSON's order
    state: str  # the vector that carries memory from word to word
    keep: str | None  # the gate that keeps the old state (None: nothing keeps it selectively)
    write: str | None  # the gate that lets the candidate onto the state
    coupled: bool  # it writes with 1 − its write gate, which is the keep gate (the GRU's 1 − z)
    read: str | None  # the gate that reads the state out into h (LSTM's o)
    candidate: str | None  # the candidate's symbol: g (LSTM) or n (GRU)
    equation: str  # the state's update, as the figures write it
    # state = kept + written; erased is what the keep gate let go; read_out what the read gate read
    parts: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # one unit's update with its numbers; {name} is that quantity's value, {before} the state's
    unit_equation: str = ""
    # the whiteboard's panels: (title, what it shows: a part or a quantity); a title may use a
    # part's formula ({erased}, {written}, ...) and {equation}
    board: tuple[tuple[str, str], ...] = ()

    def facts(self) -> dict[str, Any]:
        """The facts the page needs too, in palette.json's form (its "cells" block)."""
        return {"gates": list(self.gates), "state": self.state, "keep": self.keep,
                "candidate": self.candidate,
                "parts": {p: self.parts[p] for p in ("kept", "erased", "written")} if self.parts
                else None}


def _parts(**formulas: str) -> MappingProxyType[str, str]:
    return MappingProxyType(formulas)


LSTM = Kind(
    name="lstm",
    blocks=("input", "forget", "candidate", "output"),
    gates=("input", "forget", "output"),
    quantities=("input", "forget", "output", "candidate", "cell", "hidden"),
    state="cell", keep="forget", write="input", coupled=False, read="output", candidate="g",
    equation="c = f ⊙ c₋₁ + i ⊙ g",
    parts=_parts(kept="f ⊙ c₋₁", erased="(1 − f) ⊙ c₋₁", written="i ⊙ g", read_out="o ⊙ tanh(c)"),
    unit_equation=("c = f·c₋₁ + i·g = {forget}·{before} + {input}·{candidate} = {cell}"
                 "<br>h = o·tanh(c) = {output}·tanh({cell}) = {hidden}"),
    board=(("selective forget<br>erase {erased}", "erased"),
           ("selective read<br>read in {written}", "written"),
           ("the board<br>{equation}", "cell"),
           ("selective write<br>write out h = {read_out}", "read_out")),
)

GRU = Kind(
    name="gru",
    blocks=("reset", "update", "candidate"),
    gates=("reset", "update"),
    quantities=("reset", "update", "candidate", "hidden"),
    state="hidden", keep="update", write="update", coupled=True, read=None, candidate="n",
    equation="h = z ⊙ h₋₁ + (1 − z) ⊙ n",
    parts=_parts(kept="z ⊙ h₋₁", erased="(1 − z) ⊙ h₋₁", written="(1 − z) ⊙ n"),
    unit_equation="h = (1−z)·n + z·h₋₁ = (1−{update})·{candidate} + {update}·{before} = {hidden}",
    board=(("erase<br>{erased}", "erased"),
           ("read in<br>{written}", "written"),
           ("the board<br>{equation}", "hidden")),
)

RNN = Kind(
    name="rnn",
    blocks=("hidden",),
    gates=(),
    quantities=("hidden",),
    state="hidden", keep=None, write=None, coupled=False, read=None, candidate=None,
    equation="h = tanh(W x + U h₋₁ + b)",
    unit_equation="h = tanh(W x + U h₋₁ + b) = {hidden}",
    board=(("the board<br>h, rewritten whole at every word", "hidden"),),
)

KINDS: MappingProxyType[str, Kind] = MappingProxyType({k.name: k for k in (LSTM, GRU, RNN)})
