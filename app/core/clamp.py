"""Interventions: pin a gate to a value for chosen steps, units and layers, inside the recurrence."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .cells import Pin
from .kinds import KINDS
from .weights import DIRECTIONS


class ClampError(ValueError):
    """A clamp that cannot apply to this model or sentence; the message names the field."""


@dataclass(frozen=True)
class Clamp:
    """Pin `gate` to `value` at `steps`, `units`, `layer` and `direction`; None means all of them.
    A step is a token's position (t), whichever way the direction reads."""

    gate: str
    value: float
    steps: tuple[int, ...] | None = None
    units: tuple[int, ...] | None = None
    layer: int | None = None
    direction: str | None = None  # "forward" or "reverse" (a bidirectional model's)

    @classmethod
    def parse(cls, item: Clamp | Mapping[str, Any]) -> Clamp:
        """Accept a Clamp or its JSON form {"gate", "value", "steps"?, "units"?, "layer"?,
        "direction"?}."""
        if isinstance(item, Clamp):
            return item
        if not isinstance(item, Mapping):
            raise ClampError("each clamp must be an object like {\"gate\": \"forget\", \"value\": 1}")
        unknown = set(item) - {"gate", "value", "steps", "units", "layer", "direction"}
        if unknown:
            raise ClampError(f"clamp has unknown field(s) {sorted(unknown)}; use gate, value, "
                             "steps, units, layer, direction")
        if "gate" not in item or "value" not in item:
            raise ClampError("clamp needs a 'gate' and a 'value'")
        steps, units = item.get("steps"), item.get("units")
        return cls(
            gate=item["gate"],
            value=item["value"],
            steps=None if steps is None else tuple(steps),
            units=None if units is None else tuple(units),
            layer=item.get("layer"),
            direction=item.get("direction"),
        )


def _indices(field: str, values: tuple[int, ...] | None, size: int, what: str) -> Any:
    """Check a list of indices against [0, size) and turn it into the sorted distinct indices
    (None = all of them). Distinct: a list that repeats indices must not multiply the work, so
    one clamp never touches more than size cells along its axis (steps × units ≤ T × H)."""
    if values is None:
        return np.arange(size)
    if set(map(type, values)) - {int}:  # in C, not a Python loop: lists may be 10,000 long
        bad = next(v for v in values if type(v) is not int)
        raise ClampError(f"clamp.{field} must be whole numbers, got {bad!r}")
    if values:
        low, high = min(values), max(values)
        for v in (low, high):
            if not 0 <= v < size:
                raise ClampError(f"clamp.{field} has {v}, but this {what} has only {size} "
                                 f"(valid: 0 to {size - 1})")
    return np.unique(np.asarray(values, dtype=np.intp))


def build_pins(
    clamps: Sequence[Clamp | Mapping[str, Any]], kind: str, T: int, H: int, L: int
) -> list[dict[str, Pin]]:
    """Turn clamps into per-layer, per-gate masks of shape (T, H); later clamps win."""
    pins: list[dict[str, Pin]] = [{} for _ in range(L)]
    gates = KINDS[kind].gates
    for raw in clamps:
        clamp = Clamp.parse(raw)
        if clamp.gate not in gates:
            valid = ", ".join(gates) if gates else "none: a plain RNN has no gates"
            raise ClampError(f"clamp.gate {clamp.gate!r} is not a gate of a {kind} "
                             f"(valid gates: {valid})")
        v = clamp.value
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ClampError(f"clamp.value must be a number from 0 to 1, got {v!r}")
        if not 0.0 <= v <= 1.0:
            raise ClampError(f"clamp.value must be from 0 to 1 (a gate is a fraction), got {v}")
        steps = _indices("steps", clamp.steps, T, "sentence's token count")
        units = _indices("units", clamp.units, H, "model's hidden size")
        if clamp.layer is None:
            layers = list(range(L))
        else:
            layers = list(_indices("layer", (clamp.layer,), L, "model's layer count"))
        for k in layers:
            pin = pins[k].get(clamp.gate) or Pin(
                np.zeros((T, H), dtype=bool), np.zeros((T, H), dtype=np.float32)
            )
            cells = np.ix_(steps, units)
            pin.mask[cells] = True
            pin.value[cells] = v
            pins[k][clamp.gate] = pin
    return pins


def build_direction_pins(
    clamps: Sequence[Clamp | Mapping[str, Any]], kind: str, T: int, H: int, L: int,
    bidirectional: bool,
) -> tuple[list[dict[str, Pin]], list[dict[str, Pin]]]:
    """build_pins for each direction: (forward, reverse), each per layer and gate, (T, H) masks
    indexed by token position; a clamp with direction None pins both. One-way models get an
    empty reverse list, and a clamp on "reverse" is refused."""
    parsed = [Clamp.parse(raw) for raw in clamps]
    valid = DIRECTIONS if bidirectional else DIRECTIONS[:1]
    for clamp in parsed:
        if clamp.direction is not None and clamp.direction not in valid:
            if clamp.direction == "reverse":
                raise ClampError("clamp.direction 'reverse' needs a bidirectional model: this "
                                 "one reads forward only (use \"forward\" or null)")
            raise ClampError(f"clamp.direction must be {' or '.join(map(repr, valid))} or null, "
                             f"got {clamp.direction!r}")
    forward = build_pins([c for c in parsed if c.direction != "reverse"], kind, T, H, L)
    if not bidirectional:
        return forward, []
    return forward, build_pins([c for c in parsed if c.direction != "forward"], kind, T, H, L)
