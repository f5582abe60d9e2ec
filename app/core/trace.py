"""A Trace: every gate, candidate, cell and hidden vector of every step, as arrays (T, layers, H)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .kinds import KINDS, Kind
from .weights import ModelConfig

F32 = NDArray[np.float32]


@dataclass(frozen=True)
class Trace:
    """What a model computed on one text. JSON is made only at the edge, by `to_dict`."""

    model: ModelConfig
    text: str
    tokens: list[str]
    known: NDArray[np.bool_]  # (T,) false where the token fell back to <unk>
    # quantity name -> (T, L, H), in the order of KINDS[kind].quantities (the trace JSON's order)
    quantities: Mapping[str, F32]
    # (T, C) softmax of the head on the top layer's h at each step; for a bidirectional model,
    # on cat(h_forward[t], h_reverse[t]): PyTorch's head(output[t])
    probs: F32
    # a bidirectional model's reverse direction: the same names and shapes as `quantities`, [t]
    # being its values after it has read tokens T−1 … t (PyTorch's output[t, H:]); else None
    reverse: Mapping[str, F32] | None = None
    # (C,) the model's answer on the whole text: probs[T-1] unless its head reads PyTorch's final
    # states ("head_input": "final_states"), then the head on cat(h_forward[T-1], h_reverse[0]).
    # Left empty, it is probs[T-1].
    verdict: F32 = field(default_factory=lambda: np.empty(0, np.float32))

    def __post_init__(self) -> None:
        if not self.verdict.size:  # frozen: the one place a default is filled in
            object.__setattr__(self, "verdict", self.probs[-1])
        expected = self.facts.quantities
        for what, mapping in (("trace", self.quantities),
                              ("trace's reverse direction", self.reverse or self.quantities)):
            if tuple(mapping) != expected:
                raise ValueError(f"a {self.kind} {what} holds {', '.join(expected)}, in that order; "
                                 f"got {', '.join(mapping) or 'nothing'}")
        if (self.reverse is not None) != self.model.bidirectional:
            raise ValueError("a trace has reverse quantities exactly when its model is bidirectional")

    @property
    def directions(self) -> dict[str, Mapping[str, F32]]:
        """"forward" (and "reverse" for a bidirectional model) -> that direction's quantities."""
        both = {"forward": self.quantities}
        if self.reverse is not None:
            both["reverse"] = self.reverse
        return both

    def one_way(self, direction: str) -> Trace:
        """One direction as a one-way trace in the order it read the words, for the figures and
        the memory arithmetic (app.core.derived), which follow a reader step by step.

        "forward" is this trace without its reverse half; "reverse" has the tokens from last to
        first, step s being token T−1−s, so its state runs from the zero state like any reader's.
        probs stay those of the whole model (both directions), in the same order as the tokens,
        and so does the verdict.
        The model's name says the direction ("bilstm · reverse").
        """
        if direction not in self.directions:
            raise ValueError(f"direction {direction!r} is not one of this trace's: "
                             f"{', '.join(self.directions)}")
        if self.reverse is None:
            return self
        model = replace(self.model, name=f"{self.model.name} · {direction}", bidirectional=False)
        if direction == "forward":
            return replace(self, model=model, reverse=None)
        return Trace(model=model, text=self.text, tokens=self.tokens[::-1], known=self.known[::-1],
                     quantities={name: a[::-1] for name, a in self.reverse.items()},
                     probs=self.probs[::-1], verdict=self.verdict)

    @property
    def kind(self) -> str:
        return self.model.kind

    @property
    def facts(self) -> Kind:
        """What this kind of cell has (app.core.kinds)."""
        return KINDS[self.model.kind]

    @property
    def labels(self) -> list[str]:
        return list(self.model.labels)

    @property
    def gates(self) -> dict[str, F32]:
        """Gate name -> (T, L, H), in the JSON's order; empty for a plain RNN."""
        return {name: self.quantities[name] for name in self.facts.gates}

    @property
    def candidate(self) -> F32 | None:
        """(T, L, H) LSTM g or GRU n; None for a plain RNN."""
        return self.quantities.get("candidate")

    @property
    def cell(self) -> F32 | None:
        """(T, L, H) LSTM c; None otherwise."""
        return self.quantities.get("cell")

    @property
    def hidden(self) -> F32:
        """(T, L, H) the hidden state h."""
        return self.quantities["hidden"]

    @property
    def state(self) -> F32:
        """(T, L, H) the vector that carries memory: c (LSTM), else h."""
        return self.quantities[self.facts.state]

    def __len__(self) -> int:
        return len(self.tokens)

    def step_dicts(self, precision: int | None = None) -> Iterator[dict[str, Any]]:
        """One JSON-ready dict per step; `precision` rounds to that many decimals (None: exact)."""

        def plain(a: F32) -> Any:
            # tolist() turns the whole array into Python floats in one C pass: far cheaper than
            # converting step by step. float32 values convert exactly to Python floats.
            if precision is None:
                return a.tolist()
            return np.round(a.astype(np.float64), precision).tolist()

        gate_names = set(self.facts.gates)

        def split(quantities: Mapping[str, F32]) -> tuple[dict[str, Any], dict[str, Any]]:
            values = {name: plain(a) for name, a in quantities.items()}
            return ({name: v for name, v in values.items() if name in gate_names},
                    {name: v for name, v in values.items() if name not in gate_names})

        def layer_dict(parts: tuple[dict[str, Any], dict[str, Any]], t: int, k: int) -> dict[str, Any]:
            gates, others = parts
            layer: dict[str, Any] = {"gates": {name: g[t][k] for name, g in gates.items()}}
            layer.update((name, v[t][k]) for name, v in others.items())
            return layer

        forward = split(self.quantities)
        reverse = None if self.reverse is None else split(self.reverse)
        probs = plain(self.probs)
        labels = self.labels
        known = self.known.tolist()
        for t, token in enumerate(self.tokens):
            layers = []
            for k in range(self.hidden.shape[1]):
                layer = layer_dict(forward, t, k)
                if reverse is not None:
                    layer["reverse"] = layer_dict(reverse, t, k)
                layers.append(layer)
            yield {
                "t": t,
                "token": token,
                "known": known[t],
                "layers": layers,
                "probs": dict(zip(labels, probs[t], strict=True)),
            }

    def verdict_dict(self, precision: int | None = None) -> dict[str, float]:
        """The verdict as the JSON gives it: label -> probability, `precision` as in step_dicts."""
        values = self.verdict.astype(np.float64) if precision is None \
            else np.round(self.verdict.astype(np.float64), precision)
        return dict(zip(self.labels, values.tolist(), strict=True))

    def to_dict(self, precision: int | None = None) -> dict[str, Any]:
        """The trace JSON of ARCHITECTURE.md: model, text, tokens, steps, verdict."""
        return {
            "model": self.model.summary(),
            "text": self.text,
            "tokens": list(self.tokens),
            "steps": list(self.step_dicts(precision)),
            "verdict": self.verdict_dict(precision),
        }
