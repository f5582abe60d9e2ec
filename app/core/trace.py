"""A Trace: every gate, candidate, cell and hidden vector of every step, as arrays (T, layers, H)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]


@dataclass(frozen=True)
class Trace:
    """What a model computed on one text. JSON is made only at the edge, by `to_dict`."""

    model: dict[str, Any]  # name, kind, hidden_size, num_layers, labels
    text: str
    tokens: list[str]
    known: NDArray[np.bool_]  # (T,) false where the token fell back to <unk>
    gates: dict[str, F32]  # gate name -> (T, L, H); empty for a plain RNN
    candidate: F32 | None  # (T, L, H) LSTM g or GRU n; None for a plain RNN
    cell: F32 | None  # (T, L, H) LSTM c; None otherwise
    hidden: F32  # (T, L, H)
    probs: F32  # (T, C) softmax of the head on the top layer's h at each step

    @property
    def kind(self) -> str:
        return str(self.model["kind"])

    @property
    def labels(self) -> list[str]:
        return list(self.model["labels"])

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

        gates = {name: plain(a) for name, a in self.gates.items()}
        candidate = None if self.candidate is None else plain(self.candidate)
        cell = None if self.cell is None else plain(self.cell)
        hidden = plain(self.hidden)
        probs = plain(self.probs)
        labels = self.labels
        known = self.known.tolist()
        for t, token in enumerate(self.tokens):
            layers = []
            for k in range(len(hidden[t])):
                layer: dict[str, Any] = {"gates": {name: g[t][k] for name, g in gates.items()}}
                if candidate is not None:
                    layer["candidate"] = candidate[t][k]
                if cell is not None:
                    layer["cell"] = cell[t][k]
                layer["hidden"] = hidden[t][k]
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
            "model": dict(self.model),
            "text": self.text,
            "tokens": list(self.tokens),
            "steps": list(self.step_dicts(precision)),
        }
