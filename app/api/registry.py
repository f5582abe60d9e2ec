"""The models a server holds: loaded once at start-up, read-only, shared by every request."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import UNK, Model, ModelFormatError, UnknownModelError, load_model
from ..core.gradients import gradients
from ..core.model import SHIPPED_DIR

log = logging.getLogger("gatescope")


@dataclass(frozen=True)
class Registry:
    """Loaded models by name, and the one a request gets when it names none."""

    models: dict[str, Model]
    default: str

    def names(self) -> list[str]:
        return list(self.models)


# Reading a regular file cannot block, but a directory on a hung network mount can: a model that
# takes longer than this to load is skipped (its thread is left behind, a daemon).
LOAD_TIMEOUT_S = 60.0


def _has_config(path: Path) -> bool:
    # lexists: a config.json that is a broken link, a device or a FIFO is a model directory to
    # refuse with a message, not one to pass over in silence.
    try:
        config = path / "config.json"
        return path.is_dir() and (config.is_symlink() or config.exists())
    except OSError:
        return False


def _model_dirs(base: Path) -> list[Path]:
    """`base` itself if it is a model directory, else its sub-directories that hold a config.json."""
    if _has_config(base):
        return [base]
    return sorted(p for p in base.iterdir() if _has_config(p))


def _load_bounded(path: Path, timeout: float) -> Model:
    """load_model in a daemon thread, given up after `timeout` seconds."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["model"] = load_model(path)
        except Exception as exc:  # noqa: BLE001 - handed to the caller below
            result["error"] = exc

    thread = threading.Thread(target=run, name=f"load {path.name}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"loading took longer than {timeout:g} s (a blocked file?)")
    if "error" in result:
        raise result["error"]
    model: Model = result["model"]
    return model


def load_registry(models_dir: Path | None, default: str, shipped_dir: Path = SHIPPED_DIR,
                  timeout: float = LOAD_TIMEOUT_S) -> Registry:
    """Load the shipped models, then those under `models_dir` (which win on a name clash).

    A broken directory is logged and skipped, whatever is wrong with it (an exception of any
    kind, or a load that does not finish in `timeout` seconds), so one bad model does not take
    the others down; a server with no model at all refuses to start, with the reasons.
    """
    if models_dir is not None and not models_dir.is_dir():
        raise UnknownModelError(f"--models-dir {str(models_dir)!r} is not a directory")
    bases = [b for b in (shipped_dir, models_dir) if b is not None and b.is_dir()]
    models: dict[str, Model] = {}
    problems: list[str] = []
    for base in bases:
        try:
            paths = _model_dirs(base)
        except OSError as exc:
            problems.append(f"{base}: {exc}")
            log.warning("cannot list model directories in %s: %s", base, exc)
            continue
        for path in paths:
            try:
                model = _load_bounded(path, timeout)
            except (ModelFormatError, UnknownModelError) as exc:
                problems.append(f"{path.name!r}: {exc}")
                log.warning("skipping model directory %r: %s", str(path), exc)
                continue
            except Exception as exc:  # noqa: BLE001 - any failure skips this directory only
                problems.append(f"{path.name!r}: {type(exc).__name__}: {exc}")
                log.warning("skipping model directory %r: %s: %s", str(path),
                            type(exc).__name__, exc)
                continue
            if model.name in models:
                log.warning("model %r from %s replaces the one from %s", model.name, path,
                            models[model.name].path)
            models[model.name] = model
    if not models:
        where = " and ".join(str(b) for b in bases) or "nowhere (no models/ folder)"
        reasons = "; ".join(problems) or "no directory with a config.json"
        raise UnknownModelError(f"no model could be loaded from {where}: {reasons}")
    if default not in models:
        fallback = next(iter(models))
        log.warning("default model %r is not loaded; using %r", default, fallback)
        default = fallback
    for model in models.values():
        # Compiles the step loops (or loads them from numba's cache) now, not in the first request.
        model.trace_tokens([UNK])
        if not model.config.bidirectional:  # and the gradient sweep of its kind (/api/connectivity)
            gradients(model, [UNK])
    return Registry(models=models, default=default)
