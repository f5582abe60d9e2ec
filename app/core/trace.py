"""A Trace: every gate, candidate, cell and hidden vector of every step, as arrays (T, layers, H)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
    probs: F32  # (T, C) softmax of the head on the top layer's h at each step

    def __post_init__(self) -> None:
        expected = self.facts.quantities
        if tuple(self.quantities) != expected:
            raise ValueError(f"a {self.kind} trace holds {', '.join(expected)}, in that order; "
                             f"got {', '.join(self.quantities) or 'nothing'}")

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
        values = {name: plain(a) for name, a in self.quantities.items()}
        gates = {name: v for name, v in values.items() if name in gate_names}
        others = {name: v for name, v in values.items() if name not in gate_names}
        probs = plain(self.probs)
        labels = self.labels
        known = self.known.tolist()
        for t, token in enumerate(self.tokens):
            layers = []
            for k in range(self.hidden.shape[1]):
                layer: dict[str, Any] = {"gates": {name: g[t][k] for name, g in gates.items()}}
                layer.update((name, v[t][k]) for name, v in others.items())
                layers.append(layer)
            yield {
                "t": t,
                "token": token,
                "known": known[t],
                "layers": layers,
                "probs": dict(zip(labels, probs[t], strict=True)),
            }

    def to_dict(self, precision: int | None = None) -> dict[str, Any]:
        """The trace JSON of ARCHITECTURE.md: model, text, tokens, steps."""
        return {
            "model": self.model.summary(),
            "text": self.text,
            "tokens": list(self.tokens),
            "steps": list(self.step_dicts(precision)),
        }
