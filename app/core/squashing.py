"""Squashing, in real arithmetic: why a recurrence needs tanh and why a gate is a sigmoid.

A value multiplied by the same weight again and again explodes (weight > 1) or vanishes (< 1):
3, 9, 27, ... Through tanh after each multiplication it stays in [−1, 1], however often it is
multiplied; and a sigmoid gate multiplies by a number in [0, 1], so what it keeps can only shrink,
slowly when the gate is near 1 — the LSTM's forget gate, the GRU's update gate.
"""

from __future__ import annotations

import math
from typing import Any


def sigmoid(x: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * x))


def squashing(start: float = 0.5, weight: float = 3.0, steps: int = 10,
              gate_preactivation: float = 2.2) -> dict[str, Any]:
    """Step k = 0 … steps of three recurrences from the same start value:
    "multiplied": x_k = weight · x_{k−1};  "tanh": y_k = tanh(weight · y_{k−1});
    "gated": z_k = σ(gate_preactivation) · z_{k−1}, with the gate's value in "gate"."""
    if steps < 0 or steps > 1000:
        raise ValueError(f"steps must be from 0 to 1000, got {steps}")
    gate = sigmoid(gate_preactivation)
    multiplied, squashed, gated = [start], [start], [start]
    for _ in range(steps):
        multiplied.append(weight * multiplied[-1])
        squashed.append(math.tanh(weight * squashed[-1]))
        gated.append(gate * gated[-1])
    return {"step": list(range(steps + 1)), "weight": weight, "gate": gate,
            "multiplied": multiplied, "tanh": squashed, "gated": gated}
