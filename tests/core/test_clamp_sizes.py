"""Clamps with long, repeating index lists (issue 12, case 4): repeats cost nothing and change
nothing, so one clamp never touches more than T × H cells per layer."""

from __future__ import annotations

import numpy as np

from app.core.clamp import build_pins


def test_repeated_indices_pin_the_same_cells_as_distinct_ones() -> None:
    T, H = 7, 5
    steps = [i % T for i in range(10_000) if i % T != 3]  # every step but 3, repeated
    units = [(3 * i) % H for i in range(10_000) if (3 * i) % H in (0, 4)]
    repeated = [{"gate": "forget", "value": 0.25, "steps": steps, "units": units}] * 6
    pins = build_pins(repeated, "lstm", T, H, 2)
    expected = np.zeros((T, H), dtype=bool)
    for t in set(steps):
        for u in set(units):
            expected[t, u] = True  # the reference: a plain loop over the distinct pairs
    for layer in pins:
        np.testing.assert_array_equal(layer["forget"].mask, expected)
        np.testing.assert_array_equal(layer["forget"].value, np.where(expected, 0.25, 0.0))
