"""POST /api/connectivity: how strongly each earlier word can still move the prediction (exact
gradients, app/core/gradients.py), with the state Jacobian's norm at every step."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import numpy as np
from fastapi import APIRouter, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..core import ClampError
from ..core.examples import CEREAL
from ..core.gradients import Gradients, LabelError, gradients
from .deps import RegistryDep, SettingsDep, check_text, loaded_model
from .encoding import dumps
from .routes import _ERRORS
from .schemas import ModelBrief, TraceRequest

router = APIRouter()
T = TypeVar("T")
SIGNIFICANT = 4  # digits: the numbers span many decades (a vanished gradient is 1e-20, not 0)
INLINE_TOKENS = 40  # all pairs cost ~T²: beyond ~1 ms, compute in a worker thread (numba: no GIL)


class ConnectivityRequest(TraceRequest):
    """A sentence, the model to read it with, the label whose log-probability is differentiated,
    and optional interventions (pinned gates are constants: no gradient flows through them)."""

    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"text": CEREAL, "model": "rnn"},
        {"text": "the film was dry but the ending was wonderful", "model": "lstm",
         "label": "positive", "clamp": [{"gate": "forget", "value": 1.0}]},
    ]})

    label: str | None = Field(default=None, max_length=200, description="one of the model's "
                              "labels (GET /api/models); null = the label predicted at the last word")


class ConnectivityOut(BaseModel):
    """connectivity[t][s] = ‖∂ log p_label(t) / ∂ e_s‖₂ (s ≤ t; 0 above the diagonal), e_s the
    embedding read for word s; jacobian_norms[t] = ‖∂S_t / ∂S_{t−1}‖₂, the spectral norm, S_t every
    layer's recurrent state (h, and the LSTM's c) after word t (t = 0: at the zero initial state).
    Numbers to 4 significant digits; null where a gradient overflowed float64."""

    model: ModelBrief
    text: str
    tokens: list[str]
    known: list[bool] = Field(description="false where the token fell back to <unk>")
    label: str
    label_probs: list[float] = Field(description="p_label after each word")
    connectivity: list[list[float | None]]
    jacobian_norms: list[float | None]
    jacobian_norm: str = Field(default="spectral", description="which norm: the largest singular "
                               "value")
    product_norms: list[float | None] = Field(description="‖∂S_t / ∂S_0‖₂, the norm of the real "
                                              "product of the Jacobians from the first word; the "
                                              "product of jacobian_norms only bounds it")


async def _run(tokens: int, work: Callable[[], T]) -> T:
    """On the event loop for a short sentence; all pairs cost ~T², so longer ones in a thread."""
    return work() if tokens <= INLINE_TOKENS else await run_in_threadpool(work)


def significant(values: np.ndarray) -> list[Any]:
    """Floats to 4 significant digits (nested like `values`); a non-finite one becomes null."""
    if values.ndim > 1:
        return [significant(row) for row in values]
    return [float(f"{v:.{SIGNIFICANT}g}") if math.isfinite(v) else None for v in values.tolist()]


def connectivity_json(g: Gradients) -> bytes:
    return dumps({
        "model": g.model, "text": g.text, "tokens": g.tokens, "known": g.known.tolist(),
        "label": g.label, "label_probs": significant(g.label_probs),
        "connectivity": significant(g.connectivity), "jacobian_norms": significant(g.jacobian_norms),
        "jacobian_norm": "spectral", "product_norms": significant(g.product_norms),
    })


@router.post("/api/connectivity", response_model=ConnectivityOut, responses=_ERRORS, tags=["api"])
async def connectivity(body: ConnectivityRequest, settings: SettingsDep,
                       registry: RegistryDep) -> Response:
    """Exact gradients: for every word t, how strongly each earlier word s can still move
    log p_label(t); and the norm of each step's state Jacobian, the factors of the long product."""
    tokens = check_text(body.text, settings)
    model = loaded_model(registry, registry.default if body.model is None else body.model)
    if model.config.bidirectional:
        raise HTTPException(422, f"model: exact gradients are for one-way models; {model.name!r} "
                                 "reads both ways: choose another model")
    clamps = [c.model_dump() for c in body.clamp or []]
    try:
        result = await _run(len(tokens), partial(gradients, model, tokens, body.label, clamps,
                                                     text=body.text))
    except (ClampError, LabelError) as exc:
        field = "label" if isinstance(exc, LabelError) else "clamp"
        detail = str(exc) if str(exc).startswith(field) else f"{field}: {exc}"
        raise HTTPException(status_code=422, detail=detail) from None
    payload = await _run(len(tokens), partial(connectivity_json, result))
    return Response(payload, media_type="application/json")
