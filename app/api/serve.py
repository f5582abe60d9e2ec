"""`gatescope serve`: run the app under uvicorn and say which URL to open."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import uvicorn

from ..core import UnknownModelError
from .settings import Settings


def serve(host: str | None = None, port: int | None = None, models_dir: Path | None = None,
          reload: bool = False) -> None:
    """Serve on host:port (default 127.0.0.1:8000 or GATESCOPE_HOST / GATESCOPE_PORT), with
    GATESCOPE_WORKERS processes (default 1)."""
    if models_dir is not None:
        if not models_dir.is_dir():
            raise UnknownModelError(f"--models-dir {str(models_dir)!r} is not a directory")
        # Through the environment, so the app that uvicorn imports (also on --reload) sees it.
        os.environ["GATESCOPE_MODELS_DIR"] = str(models_dir.resolve())
    settings = Settings()
    host = host or settings.host
    port = settings.port if port is None else port
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1"
    url = f"http://{shown}:{port}/"
    options: dict[str, Any] = {
        "host": host, "port": port, "log_level": "info",
        # A long text in the GET stream's URL must fit in the request head.
        "h11_max_incomplete_event_size": 256 * 1024,
    }
    # The first start on a machine loads the models and compiles the fast loops (numba), which can
    # take ten seconds or so: say so now, and give the address only once the server answers.
    print("gatescope: starting (loading the models; the first start on a machine also compiles the "
          "fast loops, which takes a few seconds)…", flush=True)
    workers = settings.workers
    if reload or workers > 1:
        # uvicorn supervises the processes itself here: it logs when each one has started.
        print(f"gatescope: open {url} once uvicorn says \"Application startup complete\"  (Ctrl+C stops)",
              flush=True)
        uvicorn.run("app.main:app", reload=reload, workers=None if reload else workers, **options)
        return
    _Announcing(uvicorn.Config("app.main:app", **options), url).run()


class _Announcing(uvicorn.Server):
    """A uvicorn server that prints the URL to open once it is listening and the app has started."""

    def __init__(self, config: uvicorn.Config, url: str) -> None:
        super().__init__(config)
        self.url = url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            print(f"gatescope: ready: open {self.url}  (Ctrl+C stops)", flush=True)
