"""The compiled step loops (app/core/kernels.py) against the numpy loops, and the engine switch."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from app.core import KINDS, cells, kernels
from app.core.cells import LayerWeights, Pin

pytestmark = pytest.mark.skipif(kernels.LAYERS is None, reason="numba is not installed")


def test_tanh_approximation_is_float32_exact_to_a_few_ulps() -> None:
    numba = pytest.importorskip("numba")
    tanh = numba.njit(lambda v: np.array([kernels._tanh(e) for e in v]))
    x = np.r_[np.linspace(-12, 12, 1_000_001), -1e30, -88.5, -8, 8, 88.5, 1e30, 0.0, 1e-30].astype(np.float32)
    got = tanh(x)
    assert got.dtype == np.float32
    err = np.abs(got.astype(np.float64) - np.tanh(x.astype(np.float64)))
    assert err.max() <= 4e-7
    assert np.abs(got).max() <= 1.0  # never outside [−1, 1], so gates stay in [0, 1]
    np.testing.assert_array_equal(tanh(-x), -got)  # odd, exactly
    assert tanh(np.float32([0.0]))[0] == 0.0


def random_layer(kind: str, H: int, E: int, rng: np.random.Generator) -> LayerWeights:
    G = len(KINDS[kind].blocks) * H
    shapes = ((G, E), (G, H), (G,), (G,))
    # Scaled so a long sequence is not chaotic: otherwise float32 rounding alone grows without bound.
    scale = 1.5 / np.sqrt(max(H, E))
    return LayerWeights(*(rng.normal(0, scale, shape).astype(np.float32) for shape in shapes))


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize(("H", "E", "T"), [(1, 1, 1), (5, 3, 17), (32, 50, 300)])
def test_compiled_loops_equal_the_numpy_loops(kind: str, H: int, E: int, T: int) -> None:
    rng = np.random.default_rng(H * 1000 + T)
    w = random_layer(kind, H, E, rng)
    x = rng.normal(0, 1, (T, E)).astype(np.float32)
    pins = {}
    for gate in KINDS[kind].gates:  # pin a random third of every gate to random values
        pins[gate] = Pin(rng.random((T, H)) < 0.3, rng.random((T, H)).astype(np.float32))
    for p in ({}, pins):
        expected, got = cells.LAYERS[kind](x, w, p), kernels.LAYERS[kind](x, w, p)  # type: ignore[index]
        assert set(got) == set(expected)
        for name in expected:
            assert got[name].dtype == np.float32 and got[name].shape == (T, H)
            np.testing.assert_allclose(got[name], expected[name], atol=5e-6, rtol=0, err_msg=name)
        for gate, pin in p.items():
            np.testing.assert_array_equal(got[gate][pin.mask], pin.value[pin.mask])


@pytest.mark.parametrize(("setup", "expected"), [
    ("os.environ['GATESCOPE_ENGINE'] = 'numpy'", "numpy"),
    ("sys.modules['numba'] = None", "numpy"),  # as if numba were not installed
    ("", "numba"),
])
def test_engine_switch(setup: str, expected: str) -> None:
    """GATESCOPE_ENGINE=numpy, or no numba at all, runs cells.py's loops; the trace still works."""
    code = (f"import os, sys; {setup}\n"
            "from app.core import cells, load_model, model\n"
            "engine = 'numpy' if model.STEP_LOOPS is cells.LAYERS else 'numba'\n"
            "p = load_model('lstm-tiny').trace('not bad at all').probs[-1]\n"
            "print(engine, sys.modules.get('numba') is not None, round(float(p.sum()), 5))")
    env = {k: v for k, v in os.environ.items() if k != "GATESCOPE_ENGINE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    engine, numba_loaded, total = out.stdout.split()
    assert engine == expected and total == "1.0"
    assert numba_loaded == str(expected == "numba")
