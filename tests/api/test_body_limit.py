"""A body over the limit always gets its 413 and message (issue 12, case 3): the server reads the
rest before answering, so a client still sending never sees a connection reset."""

from __future__ import annotations

import asyncio

import httpx

from ..serving import post_oversize
from .conftest import Server


async def _forty(base: str) -> list[object]:
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=10)) as client:
        async def one() -> object:
            r = await post_oversize(client, base)  # 1 MB, four times the limit
            if isinstance(r, str):
                return r
            return r.status_code, "max_body_bytes" in r.json()["detail"]

        return await asyncio.gather(*[one() for _ in range(40)])


def test_forty_oversize_bodies_on_pooled_connections_all_read_their_413(server: Server) -> None:
    assert asyncio.run(_forty(server.base)) == [(413, True)] * 40
    # The connections were drained, not broken: the same pool goes on working.
    r = httpx.post(f"{server.base}/api/trace", json={"text": "good"}, timeout=10)
    assert r.status_code == 200
