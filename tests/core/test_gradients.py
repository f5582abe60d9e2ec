"""Connectivity and Jacobian norms against torch.autograd in float64, on random models (both engines).

Tolerance: relative error ≤ 1e-8 on every non-zero entry (the issue asks for 1e-3); what these
cases reach is about 2e-14, float64 rounding, because both sides compute the same float64 maths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.core import load_model
from app.core.gradients import LabelError, gradients

from .grad_twins import torch_gradients
from .twins import random_state_dict, write_model_dir

pytest.importorskip("torch")

REL_TOL = 1e-8
GATES = {"lstm": ("input", "forget", "output"), "gru": ("reset", "update")}
CASES = [(kind, layers, clamped) for kind in ("lstm", "gru", "rnn") for layers in (1, 2, 3)
         for clamped in ((False, True) if kind != "rnn" else (False,))]


def random_clamps(kind: str, T: int, H: int, L: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Two clamps on random gates, steps, units and layers; values include 0 and 1."""
    out = []
    for value in (float(rng.choice([0.0, 1.0])), float(rng.uniform(0, 1))):
        out.append({"gate": str(rng.choice(GATES[kind])), "value": value,
                    "steps": sorted(rng.choice(T, size=max(1, T // 2), replace=False).tolist()),
                    "units": sorted(rng.choice(H, size=max(1, H // 2), replace=False).tolist()),
                    "layer": None if rng.random() < 0.5 else int(rng.integers(0, L))})
    return out


def relative_error(got: np.ndarray, ref: np.ndarray) -> float:
    nonzero = ref != 0
    assert (got[~nonzero] == 0).all(), "zero exactly where the reference is (above the diagonal)"
    return float((np.abs(got - ref)[nonzero] / ref[nonzero]).max())


@pytest.mark.torch
@pytest.mark.parametrize(("kind", "layers", "clamped"), CASES)
def test_connectivity_and_jacobians_match_torch_autograd(
        tmp_path: Path, kind: str, layers: int, clamped: bool, engine: str) -> None:
    rng = np.random.default_rng(100 * layers + 10 * clamped + len(kind))
    V, E, H, C, T = (int(rng.integers(5, 30)), int(rng.integers(1, 12)), int(rng.integers(1, 12)),
                     int(rng.integers(2, 5)), int(rng.integers(1, 16)))
    vocab = ["<unk>"] + [f"w{k}" for k in range(1, V)]
    sd = random_state_dict(kind, V, E, H, layers, C, rng)
    model = load_model(write_model_dir(tmp_path / kind, kind, sd, vocab, [f"c{k}" for k in range(C)]))
    ids = rng.integers(0, V, T).tolist()
    clamps = random_clamps(kind, T, H, layers, rng) if clamped else []
    label = int(rng.integers(0, C))

    got = gradients(model, [vocab[i] for i in ids], f"c{label}", clamps)
    conn, norms, products = torch_gradients(kind, sd, ids, label, clamps)
    assert got.connectivity.shape == (T, T) and got.jacobian_norms.shape == (T,)
    assert (np.triu(got.connectivity, 1) == 0).all()
    assert relative_error(got.connectivity, conn) <= REL_TOL
    assert relative_error(got.jacobian_norms, norms) <= REL_TOL
    assert relative_error(got.product_norms, products) <= REL_TOL
    # Only some rows: the same numbers, the others 0.
    part = gradients(model, [vocab[i] for i in ids], f"c{label}", clamps, rows=[-1, 0],
                     jacobians=False).connectivity
    np.testing.assert_allclose(part[[0, -1]], got.connectivity[[0, -1]], rtol=1e-12)
    assert (part[1:-1] == 0).all()


def test_model_api_default_label_and_bad_label(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    vocab = ["<unk>", "good", "bad", "film"]
    sd = random_state_dict("lstm", 4, 3, 4, 1, 2, rng)
    model = load_model(write_model_dir(tmp_path / "m", "lstm", sd, vocab, ["negative", "positive"]))
    trace = model.trace("good film , bad film")
    predicted = model.config.labels[int(trace.probs[-1].argmax())]
    conn = model.connectivity("good film , bad film")
    np.testing.assert_array_equal(conn, model.connectivity("good film , bad film", label=predicted))
    assert conn.shape == (5, 5) and (np.diag(conn) > 0).all()
    assert model.jacobian_norms("good film").shape == (2,)
    with pytest.raises(LabelError, match="'neutral' is not one of this model's labels: "
                                         "negative, positive"):
        model.connectivity("good film", label="neutral")
