"""The two step-loop engines: every reference test runs on both (numba where installed, and numpy)."""

from __future__ import annotations

import pytest

from app.core import cells, kernels, model

ENGINES = {"numba": kernels.LAYERS, "numpy": cells.LAYERS}


@pytest.fixture(params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with model.STEP_LOOPS set to one engine's loops."""
    loops = ENGINES[request.param]
    if loops is None:
        pytest.skip("numba is not installed (or GATESCOPE_ENGINE=numpy): only the numpy loops run")
    monkeypatch.setattr(model, "STEP_LOOPS", loops)
    return str(request.param)
