"""The models a server holds: loaded once at start-up, read-only, shared by every request."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

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


def _model_dirs(base: Path) -> list[Path]:
    """`base` itself if it is a model directory, else its sub-directories that hold a config.json."""
    if (base / "config.json").is_file():
        return [base]
    return sorted(p for p in base.iterdir() if (p / "config.json").is_file())


def load_registry(models_dir: Path | None, default: str, shipped_dir: Path = SHIPPED_DIR) -> Registry:
    """Load the shipped models, then those under `models_dir` (which win on a name clash).

    A broken directory is logged and skipped, so one bad model does not take the others down;
    a server with no model at all refuses to start, with the reasons.
    """
    if models_dir is not None and not models_dir.is_dir():
        raise UnknownModelError(f"--models-dir {str(models_dir)!r} is not a directory")
    bases = [b for b in (shipped_dir, models_dir) if b is not None and b.is_dir()]
    models: dict[str, Model] = {}
    problems: list[str] = []
    for base in bases:
        for path in _model_dirs(base):
            try:
                model = load_model(path)
            except (ModelFormatError, UnknownModelError, OSError) as exc:
                problems.append(f"{path.name}/: {exc}")
                log.warning("skipping model directory %s: %s", path, exc)
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
        gradients(model, [UNK])  # and the gradient sweep of its kind (POST /api/connectivity)
    return Registry(models=models, default=default)
