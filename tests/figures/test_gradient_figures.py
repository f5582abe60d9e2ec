"""The gradient figures draw exactly the numbers of app.core.gradients; squashing is real arithmetic."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from app import figures
from app.core import load_model, tokenize
from app.core.gradients import gradients
from app.figures.gradients import LOG_FLOOR

from .conftest import CEREAL, make_model_dir


@pytest.fixture(scope="module")
def grads(tmp_path_factory: pytest.TempPathFactory) -> list:
    base = tmp_path_factory.mktemp("grad-figures")
    tokens = tokenize(CEREAL)
    return [gradients(load_model(make_model_dir(base / kind, kind, seed=i)), tokens, "positive",
                      text=CEREAL) for i, kind in enumerate(("lstm", "gru", "rnn"))]


def test_connectivity_map_is_the_log_of_the_gradients(grads: list) -> None:
    g = grads[2]
    fig = figures.connectivity(g)
    z = np.asarray(fig.data[0].z, dtype=float)
    T = len(g.tokens)
    lower = np.tril(np.ones((T, T), dtype=bool))
    np.testing.assert_allclose(z[lower], np.log10(np.maximum(g.connectivity[lower], LOG_FLOOR)))
    assert np.isnan(z[~lower]).all()
    assert fig.data[0].y[0] == "0: amazing"


def test_reach_overlays_one_line_per_model(grads: list) -> None:
    fig = figures.reach(*grads, t=10)
    assert [tr.name for tr in fig.data] == [f"{g.model['name']} ({g.model['kind']})" for g in grads]
    for tr, g in zip(fig.data, grads, strict=True):
        np.testing.assert_array_equal(tr.y, g.connectivity[10, :11])
        assert list(tr.x) == list(range(10, -1, -1))
    with pytest.raises(ValueError, match="same sentence"):
        figures.reach(grads[0], gradients(load_model("lstm-tiny"), ["amazing"]))


def test_jacobian_chain_draws_the_factors_the_bound_and_the_product(grads: list) -> None:
    g = grads[0]
    bars, bound, product = figures.jacobian_chain(g).data
    np.testing.assert_array_equal(bars.y, g.jacobian_norms)
    np.testing.assert_allclose(bound.y, np.cumprod(g.jacobian_norms[1:]))
    np.testing.assert_array_equal(product.y, g.product_norms[1:])
    assert (g.product_norms <= np.r_[1.0, np.cumprod(g.jacobian_norms[1:])] * (1 + 1e-9)).all()


def test_memory_span_draws_the_committed_numbers() -> None:
    data = json.loads((Path(figures.__file__).parents[2] / "static" / "memory_span.json").read_text())
    fig = figures.memory_span()
    expected = [(name, o, c["prob"]) for name, m in data["models"].items()
                for o, c in m["openings"].items()]
    assert [tr.name for tr in fig.data] == [f"{n}: {o}" for n, o, _ in expected]
    for tr, (_, _, prob) in zip(fig.data, expected, strict=True):
        assert list(tr.y) == prob and list(tr.x) == data["k"]


def test_squashing_is_the_arithmetic() -> None:
    fig = figures.squashing(start=0.5, weight=3.0, steps=8, gate_preactivation=2.2)
    multiplied, squashed, gated = (list(tr.y) for tr in fig.data)
    assert multiplied == [0.5 * 3.0**k for k in range(9)]
    gate = 1 / (1 + math.exp(-2.2))
    np.testing.assert_allclose(gated, [0.5 * gate**k for k in range(9)], rtol=1e-12)
    y = 0.5
    for k in range(1, 9):
        y = math.tanh(3.0 * y)
        assert squashed[k] == pytest.approx(y, rel=1e-15) and -1 <= squashed[k] <= 1
    assert multiplied[-1] > 3000 and squashed[-1] < 1 and gated[-1] < 0.5
