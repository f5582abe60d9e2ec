"""The CLI's errors (issue 12, case 8): one line and exit status 2 for every write and argument
problem, never a traceback; JSON always valid UTF-8; control characters shown escaped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

from .test_cli import model_dir  # noqa: F401 - the fixture


def one_line_error(capsys: pytest.CaptureFixture[str], *fragments: str) -> None:
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, err


def test_out_that_cannot_be_written(model_dir: Path, tmp_path: Path,  # noqa: F811
                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.html").mkdir()
    (tmp_path / "afile").write_text("")
    (tmp_path / "full.csv").symlink_to("/dev/full")
    cases = [(tmp_path / "x.html", "Is a directory"),
             (tmp_path / "afile" / "y.html", "is a file, not a folder"),
             (tmp_path / "full.csv", "No space left on device")]
    if os.geteuid() != 0:  # root writes through permissions
        (tmp_path / "ro").mkdir(mode=0o500)
        cases.append((tmp_path / "ro" / "y.json", "Permission denied"))
    for out, fragment in cases:
        assert main(["export", "good film", "--model", str(model_dir), "--out", str(out)]) == 2
        one_line_error(capsys, "cannot write", fragment)


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_refuses_a_port_out_of_range(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--port", port])
    assert exit_info.value.code == 2
    one_line_error(capsys, "--port", port)


def test_json_is_valid_utf8_when_the_argument_is_not(model_dir: Path) -> None:  # noqa: F811
    raw = [sys.executable, "-m", "app.cli", "trace", b"good \xff film", "--model-dir",
           str(model_dir), "--json"]
    result = subprocess.run(raw, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    trace = json.loads(result.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert trace["text"] == "good \ufffd film"
    assert b"not UTF-8" in result.stderr and b"U+FFFD" in result.stderr


def test_the_table_shows_control_characters_escaped(model_dir: Path,  # noqa: F811
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trace", "good \x1b[31m \x07 film", "--model-dir", str(model_dir)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b" in out and "\\x07" in out
