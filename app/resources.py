"""Where the shipped files are: models/, static/, templates/, data/splits/ and data/behaviour/.

In the repository they sit at the root, beside the app package (the layout the design asks for);
the wheel carries them inside the package (pyproject.toml maps them to app/models, app/static,
app/templates, app/data/splits and app/data/behaviour). One lookup serves both: the installed
copy when the package has one (importlib.resources), else the repository root (a clone, an
editable install).
Imports nothing but the standard library, so app.core may use it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


@cache
def _shipped(*parts: str) -> Path:
    """app/<parts> inside an installed package, else <repo>/<parts>."""
    packaged = files("app").joinpath(*parts)
    if packaged.is_dir():
        # A package installed from a wheel is plain files on disk (never zipped: see pyproject).
        return Path(str(packaged))
    return REPO_ROOT.joinpath(*parts)


def models_dir() -> Path:
    """The shipped model directories (lstm, gru, rnn, lstm-tiny, lstm-2, bilstm)."""
    return _shipped("models")


def static_dir() -> Path:
    """The page's scripts, styles, images and palette.json."""
    return _shipped("static")


def templates_dir() -> Path:
    """The Jinja2 templates of / and /embed."""
    return _shipped("templates")


def splits_dir() -> Path:
    """The committed held-out test splits `gatescope evaluate` reads."""
    return _shipped("data", "splits")


def behaviour_dir() -> Path:
    """The committed behavioural suite `gatescope evaluate --suite` reads."""
    return _shipped("data", "behaviour")
