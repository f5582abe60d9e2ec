"""Bounded work: clamps with long, repeating index lists (issue 12, case 4) touch at most T × H
cells per layer; the figures' memory amounts never need a (T, T, H) array (case 1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.core import load_model
from app.core.clamp import build_pins
from app.core.derived import contribution_amounts, memory_contributions

from .twins import random_state_dict, write_model_dir


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


def test_contribution_amounts_match_the_full_decomposition(tmp_path: Path) -> None:
    """The highway's and memory view's amounts, made step by step (issue 12, case 1: no
    (T, T, H) array), equal the sum over units of |memory_contributions|."""
    for kind in ("lstm", "gru"):
        sd = random_state_dict(kind, 4, 5, 6, 2, 2, np.random.default_rng(1))
        model = load_model(write_model_dir(tmp_path / kind, kind, sd, ["<unk>", "a", "b", "c"],
                                           ["n", "p"]))
        trace = model.trace_tokens(list("abcabcaabbc"))
        for layer in (0, 1):
            reference = np.abs(memory_contributions(trace, layer)).sum(axis=2)
            np.testing.assert_allclose(contribution_amounts(trace, layer), reference, rtol=1e-12)
