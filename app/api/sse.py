"""A Trace as Server-Sent Events: "meta", one "step" per time step, "done"
(the last step's probs and the verdict); "error" if it fails.

The whole trace is computed before the first byte (so bad input is still a 4xx), and the events
are written a few at a time into FastAPI's EventSourceResponse. Yielding one event at a time from
the route would send every event through FastAPI's per-event SSE machinery (a producer task, a
keep-alive task, two memory streams): measured at about 0.3 ms of CPU per event, it made 200
concurrent cereal-review streams take several seconds (docs/PERFORMANCE.md, "Service").
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from fastapi.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from ..core import Trace
from .deps import INLINE_TOKENS
from .encoding import dumps

log = logging.getLogger("gatescope")

# About ten steps of a 32-unit LSTM per write: the first steps leave at once, a 1,000-token
# text is still sent in pieces, and the loop gets a turn between them.
CHUNK_BYTES = 16 * 1024


def frame(event: str, data: Any) -> bytes:
    """One SSE event on the wire, byte for byte what fastapi.sse.format_sse_event writes for a
    single-line data field (JSON never contains a raw newline)."""
    return b"event: " + event.encode() + b"\ndata: " + dumps(data) + b"\n\n"


def event_chunks(trace: Trace, precision: int, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The stream of one trace in pieces of about `chunk_bytes`; each "step" is exactly one
    element of the trace JSON's steps."""
    pending = [frame("meta", {"model": trace.model.summary(), "text": trace.text, "tokens": trace.tokens})]
    size = 0
    try:
        probs: dict[str, float] = {}
        for step in trace.step_dicts(precision):
            pending.append(frame("step", step))
            size += len(pending[-1])
            probs = step["probs"]
            if size >= chunk_bytes:
                yield b"".join(pending)
                pending, size = [], 0
        pending.append(frame("done", {"probs": probs, "verdict": trace.verdict_dict(precision)}))
    except Exception as exc:
        # The status line is long gone: say it in the stream, where the page is listening.
        log.exception("stream failed")
        pending.append(frame("error", {"detail": f"the trace could not be streamed: {exc}"}))
    yield b"".join(pending)


async def trace_events(trace: Trace, precision: int,
                       chunk_bytes: int = CHUNK_BYTES) -> AsyncIterator[bytes]:
    """event_chunks, made on the event loop as the client takes them: the first steps leave at
    once (a sentence's stream, the usual case)."""
    for chunk in event_chunks(trace, precision, chunk_bytes):
        yield chunk


async def _replay(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def event_stream(trace: Trace, precision: int) -> EventSourceResponse:
    """The text/event-stream response, with the headers FastAPI's SSE routes send.

    A long text's events are encoded whole, in a worker thread, before the first is sent: its
    bytes (1.5 MB for 1,000 tokens of a 32-unit LSTM) are a fifth of the Python lists they are
    made from, which a stream made lazily would hold for as long as its client is slow to read.
    """
    if len(trace) > INLINE_TOKENS:
        chunks = await run_in_threadpool(lambda: list(event_chunks(trace, precision)))
        body: AsyncIterator[bytes] = _replay(chunks)
    else:
        body = trace_events(trace, precision)
    return EventSourceResponse(body, headers={"Cache-Control": "no-cache",
                                              "X-Accel-Buffering": "no"})
