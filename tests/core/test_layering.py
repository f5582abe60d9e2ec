"""app/core is numpy only: it must import in a process where no web or plotting package is loaded."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("fastapi", "starlette", "jinja2", "plotly", "uvicorn", "pydantic", "torch")


def test_core_imports_no_web_or_plotting_package() -> None:
    code = ("import sys, app.core, app.core.derived; "
            f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]; print(bad); assert not bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
