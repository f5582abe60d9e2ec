"""docs/tutorial.md runs: every Python block, in order, as one notebook would."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest

import app.core
from app.core.model import SHIPPED_DIR

from .conftest import make_model_dir

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"
BLOCK = re.compile(r"^( *)```python\n(.*?)^\1```", re.DOTALL | re.MULTILINE)


def blocks() -> list[str]:
    """The Python code blocks, dedented (some sit inside a list item)."""
    out = []
    for indent, code in BLOCK.findall(TUTORIAL.read_text(encoding="utf-8")):
        out.append("".join(line[len(indent):] for line in code.splitlines(keepends=True)))
    return out


def test_the_tutorial_has_the_promised_parts() -> None:
    code = "\n".join(blocks())
    for needed in ('load_model("lstm")', "model.trace(review)", "figures.highway(", "figures.gates(",
                   "figures.memory(", "figures.whiteboard(", "figures.prediction(",
                   "figures.compare(", 'clamp=[{"gate": "forget", "value": 1.0}]'):
        assert needed in code
    assert "Amazing! This box of cereal gave me a perfectly balanced breakfast, as all things " \
        '"\n          "should be. In fact, I will definitely be buying this again.' in code


def test_the_tutorial_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = [n for n in ("lstm", "gru", "rnn") if not (SHIPPED_DIR / n / "config.json").is_file()]
    if missing:
        # Before the shipped models exist, stand-ins of the same kinds keep the code honest.
        real = app.core.load_model
        dirs = {n: make_model_dir(tmp_path / "models" / n, n, hidden=6) for n in missing}
        monkeypatch.setattr(app.core, "load_model",
                            lambda name, *a, **k: real(dirs.get(name, name), *a, **k))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__tutorial__"}
    figures_made = 0
    for i, code in enumerate(blocks()):
        name = f"{TUTORIAL.name}[block {i}]"
        tree = ast.parse(code, name)
        # A notebook displays a cell's last expression: evaluate it apart, to check it is a Figure.
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, name, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), name, "eval"), namespace)
            figures_made += isinstance(value, go.Figure)
    assert figures_made >= 9
    assert (tmp_path / "cereal-highway.html").stat().st_size > 1_000_000  # plotly.js inside
