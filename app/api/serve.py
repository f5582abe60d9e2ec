"""`gatescope serve`: run the app under uvicorn and say which URL to open."""

from __future__ import annotations

import os
from pathlib import Path

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
    print(f"gatescope: open http://{shown}:{port}/  (Ctrl+C stops)", flush=True)
    uvicorn.run("app.main:app", host=host, port=port, reload=reload, log_level="info",
                workers=None if reload else settings.workers,
                # A long text in the GET stream's URL must fit in the request head.
                h11_max_incomplete_event_size=256 * 1024)
