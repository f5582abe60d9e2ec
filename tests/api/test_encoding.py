"""The wire encoding: JSON bytes, SSE frames, chunking, and the mid-stream "error" event."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fastapi.sse import format_sse_event

from app.api.encoding import dumps, dumps_stdlib
from app.api.sse import frame, trace_events
from app.core import Trace, load_model

from .conftest import CEREAL, parse_sse


def _collect(trace: Trace, chunk_bytes: int) -> list[bytes]:
    async def run() -> list[bytes]:
        return [chunk async for chunk in trace_events(trace, 4, chunk_bytes=chunk_bytes)]
    return asyncio.run(run())


@pytest.fixture(scope="module")
def trace(models_dir: Path) -> Trace:
    return load_model(models_dir / "t-gru").trace(" ".join([CEREAL] * 3) + " café 🙂 עולם")


def test_fast_and_standard_json_agree_byte_for_byte(trace: Trace) -> None:
    whole = trace.to_dict(4)
    assert dumps(whole) == dumps_stdlib(whole)
    with pytest.raises(ValueError):
        dumps_stdlib({"x": float("nan")})


def test_frames_are_fastapi_sse_events(trace: Trace) -> None:
    for step in trace.step_dicts(4):
        assert frame("step", step) == format_sse_event(event="step", data_str=dumps(step).decode())


@pytest.mark.parametrize("chunk_bytes", [1, 4096, 10**9])
def test_chunking_never_changes_the_events(trace: Trace, chunk_bytes: int) -> None:
    chunks = _collect(trace, chunk_bytes)
    if chunk_bytes == 1:
        assert len(chunks) == len(trace) + 1  # meta with the first step, then one step per write
    if chunk_bytes == 10**9:
        assert len(chunks) == 1
    events = parse_sse(b"".join(chunks).decode("utf-8"))
    assert [e for e, _ in events] == ["meta"] + ["step"] * len(trace) + ["done"]
    assert [d for e, d in events if e == "step"] == list(trace.step_dicts(4))
    assert all(chunk.endswith(b"\n\n") for chunk in chunks)  # never an event cut in two


def test_a_failure_mid_stream_is_an_error_event(trace: Trace) -> None:
    # A trace whose head has one label fewer than its probabilities cannot be turned into steps.
    broken = Trace(model=replace(trace.model, kind="rnn", labels=("only",)), text="x", tokens=["x"],
                   known=np.array([True]), quantities={"hidden": np.zeros((1, 1, 2), np.float32)},
                   probs=np.full((1, 2), 0.5, np.float32))
    events = parse_sse(b"".join(_collect(broken, 1)).decode("utf-8"))
    assert [e for e, _ in events] == ["meta", "error"]
    assert "could not be streamed" in events[-1][1]["detail"]
