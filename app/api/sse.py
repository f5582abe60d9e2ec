"""A Trace as Server-Sent Events: "meta", one "step" per time step, "done"; "error" if it fails."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from fastapi.sse import ServerSentEvent

from ..core import Trace
from .encoding import dumps

log = logging.getLogger("gatescope")


def _event(name: str, data: Any) -> ServerSentEvent:
    # raw_data: we encode ourselves, once, rather than through jsonable_encoder.
    return ServerSentEvent(event=name, raw_data=dumps(data).decode("utf-8"))


def trace_events(trace: Trace, precision: int) -> Iterator[ServerSentEvent]:
    """The stream of one trace; each "step" is exactly one element of the trace JSON's steps."""
    yield _event("meta", {"model": trace.model, "text": trace.text, "tokens": trace.tokens})
    try:
        last: dict[str, Any] | None = None
        for step in trace.step_dicts(precision):
            yield _event("step", step)
            last = step
        yield _event("done", {"probs": last["probs"] if last else {}})
    except Exception as exc:
        # The status line is long gone: say it in the stream, where the page is listening.
        log.exception("stream failed")
        yield _event("error", {"detail": f"the trace could not be streamed: {exc}"})
