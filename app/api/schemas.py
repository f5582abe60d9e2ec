"""Request and response shapes: they validate what comes in and document what goes out (/docs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core.examples import CEREAL

MAX_CLAMPS = 64  # clamp entries per request (POST body and the GET stream's clamp parameter)


class ClampIn(BaseModel):
    """Pin one gate inside the recurrence; null steps, units or layer mean all of them."""

    # Strict: "0.5" or true is a wrong type to report, not something to coerce silently.
    model_config = ConfigDict(strict=True, extra="forbid",
                              json_schema_extra={"examples": [{"gate": "forget", "value": 1.0}]})

    gate: str = Field(max_length=32, description="a gate of the model's kind: input, forget, "
                      "output (LSTM); reset, update (GRU)")
    value: float = Field(ge=0.0, le=1.0, allow_inf_nan=False, description="0 = shut, 1 = open")
    steps: list[int] | None = Field(default=None, max_length=10_000,
                                    description="time steps to pin (0-based); null = every step")
    units: list[int] | None = Field(default=None, max_length=10_000,
                                    description="hidden units to pin (0-based); null = every unit")
    layer: int | None = Field(default=None, ge=0, description="layer to pin; null = every layer")
    direction: Literal["forward", "reverse"] | None = Field(
        default=None, description="a bidirectional model's direction to pin; null = both "
        "(steps are token positions either way)")


class TraceRequest(BaseModel):
    """A sentence to trace, the model to read it with, and optional interventions."""

    model_config = ConfigDict(strict=True, extra="forbid", json_schema_extra={"examples": [
        {"text": CEREAL, "model": "lstm"},
        {"text": "the film was dry but the ending was wonderful", "model": "lstm",
         "clamp": [{"gate": "forget", "value": 1.0, "steps": [3, 4]}]},
    ]})

    text: str = Field(description="any text; newlines and tabs are whitespace, other control "
                      "characters are refused; the limits are in GET /api/models")
    model: str | None = Field(default=None, max_length=200,
                              description="a name from GET /api/models; null = the default model")
    clamp: list[ClampIn] | None = Field(default=None, max_length=MAX_CLAMPS)


class ModelBrief(BaseModel):
    """The model block of a trace."""

    name: str
    kind: str
    hidden_size: int
    num_layers: int
    labels: list[str]
    bidirectional: bool = Field(default=False, description="true: every layer has a reverse "
                                "direction too (absent from a one-way trace's model block)")
    head_input: Literal["last_output", "final_states"] = Field(
        default="last_output", description="what the head reads for the verdict: output[T-1], or "
        "PyTorch's final states cat(h_n forward, h_n reverse) (absent from the model block when "
        "last_output)")


class ModelInfo(ModelBrief):
    """A loaded model's config.json, with its held-out metrics."""

    embedding_dim: int
    description: str
    metrics: dict[str, Any]


class Limits(BaseModel):
    """What one request may send."""

    max_chars: int
    max_tokens: int
    max_body_bytes: int
    precision: int = Field(description="decimals of every number on the wire")


class ModelsOut(BaseModel):
    """Every model this server loaded, the one used when a request names none, and the limits."""

    default_model: str
    models: list[ModelInfo]
    limits: Limits


class DirectionOut(BaseModel):
    """One layer at one step in one direction. LSTM: gates input/forget/output, candidate, cell,
    hidden; GRU: gates reset/update, candidate (n), hidden; RNN: no gates, hidden."""

    gates: dict[str, list[float]]
    candidate: list[float] | None = None
    cell: list[float] | None = None
    hidden: list[float]


class LayerOut(DirectionOut):
    """One layer at one step: the forward direction's vectors, and for a bidirectional model
    the reverse direction's after it has read tokens T−1 … t (PyTorch's output[t, H:])."""

    reverse: DirectionOut | None = None


class StepOut(BaseModel):
    """One time step: the token read, every layer's vectors, and the prediction so far."""

    t: int
    token: str
    known: bool = Field(description="false where the token fell back to <unk>")
    layers: list[LayerOut]
    probs: dict[str, float] = Field(description="the head on the top layer's h (bidirectional: "
                                    "on both directions' h at this token, PyTorch's output[t])")


class TraceOut(BaseModel):
    """Everything the model computed on the text (the same JSON as `gatescope trace --json`)."""

    model: ModelBrief
    text: str
    tokens: list[str]
    steps: list[StepOut]
    verdict: dict[str, float] = Field(description="the model's answer on the whole text: the last "
                                      "step's probs, or for head_input final_states the head on "
                                      "cat(h_forward[T-1], h_reverse[0])")


class MetaEvent(BaseModel):
    """The first event of a stream."""

    model: ModelBrief
    text: str
    tokens: list[str]


class DoneEvent(BaseModel):
    """The last event of a stream: the last step's probs and the model's verdict (see TraceOut)."""

    probs: dict[str, float]
    verdict: dict[str, float]


class ErrorOut(BaseModel):
    """Every 4xx (and the last-resort 500): one sentence saying what to change."""

    detail: str


class Health(BaseModel):
    status: str = "ok"
