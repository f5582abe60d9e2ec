"""`gatescope export`: JSON equals the trace, CSV has the documented columns and every number,
HTML is one self-contained file, images say what to install when kaleido is missing."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.cli import main
from app.core import Model, load_model
from app.figures import export

from .conftest import CEREAL, make_model_dir


@pytest.fixture(scope="module")
def model_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("export-models")
    return {
        "lstm": make_model_dir(root / "lstm", "lstm", hidden=4),
        "gru": make_model_dir(root / "gru", "gru", hidden=3, layers=2),
        "rnn": make_model_dir(root / "rnn", "rnn", hidden=5),
    }


def run(*args: str) -> int:
    return main(["export", *args])


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_json_is_the_trace(kind: str, model_dirs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "trace.json"
    assert run(CEREAL, "--model", str(model_dirs[kind]), "--out", str(out)) == 0
    expected = load_model(model_dirs[kind]).trace(CEREAL).to_dict()
    assert json.loads(out.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_csv_rows_columns_and_values(kind: str, model_dirs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "trace.csv"
    assert run(CEREAL, "--model", str(model_dirs[kind]), "--out", str(out)) == 0
    trace = load_model(model_dirs[kind]).trace(CEREAL)
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert header == ["t", "token", "known", "layer", "unit", "quantity", "value"]
    arrays = trace.quantities
    T, L, H = trace.hidden.shape
    assert len(rows) == T * L * H * len(arrays)
    seen = set()
    for t, token, known, layer, unit, quantity, value in rows:
        ti, k, u = int(t), int(layer), int(unit)
        assert token == trace.tokens[ti]
        assert known == ("true" if trace.known[ti] else "false")
        # Read back as float32, every value is the model's number bit for bit.
        assert np.float32(value) == arrays[quantity][ti, k, u]
        seen.add((ti, k, u, quantity))
    assert len(seen) == len(rows)


def test_csv_words_never_become_formulas(model_dirs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "formula.csv"
    assert run("=cmd amazing -", "--model", str(model_dirs["lstm"]), "--out", str(out)) == 0
    with out.open(encoding="utf-8", newline="") as f:
        tokens = [row["token"] for row in csv.DictReader(f)]
    assert set(tokens) == {"'=", "cmd", "amazing", "'-"}


@pytest.mark.parametrize("view", ["highway", "gates", "cell", "memory", "whiteboard", "prediction",
                                  "compare"])
def test_html_is_one_self_contained_file(view: str, model_dirs: dict[str, Path],
                                         tmp_path: Path) -> None:
    out = tmp_path / f"{view}.html"
    assert run(CEREAL, "--model", str(model_dirs["gru"]), "--view", view, "--out", str(out)) == 0
    page = out.read_text(encoding="utf-8")
    assert set(re.findall(r"<script[^>]*>", page)) == {"<script>"}  # nothing loaded from elsewhere
    assert "<link" not in page and "<iframe" not in page
    assert re.search(r"plotly\.js v\d", page)  # the library itself is inside
    assert '"frames"' not in page or "addFrames" in page
    assert "Plotly.addFrames" in page
    assert f"<title>gatescope · {view} · Amazing! This box" in page


def test_compare_takes_several_models(model_dirs: dict[str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "compare.html"
    models = ",".join(str(model_dirs[k]) for k in ("lstm", "gru", "rnn"))
    assert run(CEREAL, "--model", models, "--view", "compare", "--out", str(out)) == 0
    assert "compare view" in capsys.readouterr().out
    assert run(CEREAL, "--model", models, "--view", "gates", "--out", str(out)) == 2
    assert "only compare takes several" in capsys.readouterr().err
    assert run(CEREAL, "--model", models, "--out", str(tmp_path / "x.json")) == 2
    assert "one model" in capsys.readouterr().err


def test_bad_requests_are_messages(model_dirs: dict[str, Path], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    lstm = str(model_dirs["lstm"])
    assert run(CEREAL, "--model", lstm, "--out", str(tmp_path / "chart.pdf")) == 2
    assert ".html, .json, .csv, .png, .svg" in capsys.readouterr().err
    assert run(CEREAL, "--model", lstm, "--view", "nope", "--out", str(tmp_path / "c.html")) == 2
    assert "unknown view 'nope'" in capsys.readouterr().err
    assert run("   ", "--model", lstm, "--out", str(tmp_path / "c.html")) == 2
    assert "no words" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_image_without_kaleido_says_what_to_install(
        suffix: str, model_dirs: dict[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def no_kaleido(name: str, *args: Any) -> Any:
        return None if name == "kaleido" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", no_kaleido)
    out = tmp_path / f"chart.{suffix}"
    assert run(CEREAL, "--model", str(model_dirs["lstm"]), "--out", str(out)) == 2
    captured = capsys.readouterr()
    assert "pip install 'gatescope[image]'" in captured.err
    assert "Chrome or Chromium" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not out.exists()


def test_still_image_figure_drops_the_player(tiny_models: dict[str, Model]) -> None:
    from app import figures

    fig = figures.highway(tiny_models["lstm"].trace(CEREAL))
    still = export.still(fig)
    assert not still.frames and not still.layout.sliders and not still.layout.updatemenus
    np.testing.assert_array_equal(still.data[-1].z, fig.data[-1].z)
    assert fig.frames  # the original keeps its player


@pytest.mark.skipif(importlib.util.find_spec("kaleido") is None, reason="the image extra is not installed")
def test_png_with_kaleido(model_dirs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    code = run(CEREAL, "--model", str(model_dirs["lstm"]), "--out", str(out))
    assert code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
