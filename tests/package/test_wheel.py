"""The built artefact: a wheel, installed alone into a fresh venv, serves from an empty folder.

Nothing of the clone is on the path there (no PYTHONPATH, the working directory is an empty
temporary folder), so every file it serves must come from the wheel itself.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from app.resources import REPO_ROOT

pytestmark = pytest.mark.wheel

SHIPPED = sorted(p.name for p in (REPO_ROOT / "models").iterdir() if (p / "config.json").is_file())
PAGE_REFS = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")
JS_IMPORTS = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*["']([^"']+)["']""")


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 180) -> str:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Build the wheel from the clone and install it (with its dependencies) into a new venv."""
    tmp = tmp_path_factory.mktemp("wheel")
    # The clone's code must not leak in: no PYTHONPATH, no settings of the calling shell.
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONPATH" and not k.startswith(("GATESCOPE_", "VIRTUAL_ENV"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
          str(REPO_ROOT)], cwd=tmp, env=env)
    (wheel,) = (tmp / "dist").glob("gatescope-*.whl")
    try:
        venv.create(tmp / "venv", with_pip=True)
    except (OSError, subprocess.CalledProcessError) as exc:  # e.g. Debian's python without ensurepip
        pytest.skip(f"cannot create a venv with pip here ({exc}); install python3-venv")
    bindir = tmp / "venv" / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=tmp, env=env,
         timeout=600)
    empty = tmp / "empty"
    empty.mkdir()
    yield {"bin": bindir, "cwd": empty, "env": env, "wheel": wheel}


def test_the_wheel_is_small_and_carries_the_shipped_files(installed: dict[str, Any]) -> None:
    wheel: Path = installed["wheel"]
    assert wheel.stat().st_size < 30 * 1024 * 1024
    names = set(zipfile.ZipFile(wheel).namelist())
    for model in SHIPPED:
        assert {f"app/models/{model}/{f}" for f in ("config.json", "model.safetensors", "vocab.txt")} <= names
    assert {"app/templates/index.html", "app/static/palette.json", "app/data/splits/test.jsonl"} <= names


def test_the_python_api_loads_every_shipped_model_from_the_package(installed: dict[str, Any]) -> None:
    code = ("import json; from app.core import load_model; from app.resources import models_dir; "
            f"models = [load_model(n) for n in {SHIPPED!r}]; "
            "print(json.dumps({'dir': str(models_dir()), 'labels': [m.trace('not bad at all').labels "
            "for m in models]}))")
    out = json.loads(_run([str(installed["bin"] / "python"), "-c", code], installed["cwd"], installed["env"]))
    assert Path(out["dir"]).is_relative_to(installed["bin"].parent), out["dir"]
    assert all(labels == ["negative", "positive"] for labels in out["labels"])
    # gatescope evaluate reads the test splits the wheel carries
    evaluated = json.loads(_run([str(installed["bin"] / "gatescope"), "evaluate", "--model", "lstm-tiny",
                                 "--json"], installed["cwd"], installed["env"]))
    assert evaluated["n"] > 1000 and 0.5 < evaluated["accuracy"] <= 1
    # and the behavioural suite it carries
    suite = json.loads(_run([str(installed["bin"] / "gatescope"), "evaluate", "--model", "lstm-tiny",
                             "--suite", "--json"], installed["cwd"], installed["env"]))
    assert suite["heldout"]["negation"]["n"] > 100, suite
    version = _run([str(installed["bin"] / "gatescope"), "--version"], installed["cwd"], installed["env"])
    assert version.startswith("gatescope ")
    assert _run([str(installed["bin"] / "python"), "-m", "app", "--version"],
                installed["cwd"], installed["env"]) == version


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _static_urls(client: httpx.Client, page: str) -> set[str]:
    """Every /static/... URL the page references, and every module those scripts import."""
    seen: set[str] = set()
    todo = set(PAGE_REFS.findall(page))
    while todo:
        url = todo.pop()
        seen.add(url)
        r = client.get(url)
        assert r.status_code == 200, f"{url}: {r.status_code}"
        if url.split("?")[0].endswith(".js") and "/vendor/" not in url:
            for spec in JS_IMPORTS.findall(r.text):
                if spec.startswith((".", "/")):
                    todo.add(urljoin(url, spec))
        todo -= seen
    return seen


def test_gatescope_serve_from_an_empty_folder(installed: dict[str, Any]) -> None:
    port = _free_port()
    log = installed["cwd"].parent / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(installed["bin"] / "gatescope"), "serve", "--port", str(port)],
                                  cwd=installed["cwd"], env=installed["env"], stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            deadline = time.monotonic() + 90
            while True:
                assert server.poll() is None, f"the server stopped:\n{log.read_text()}"
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not answer /healthz in 90 s"
                time.sleep(0.3)

            page = client.get("/")
            assert page.status_code == 200 and "models-data" in page.text
            urls = _static_urls(client, page.text)
            assert any(u.startswith("/static/vendor/plotly.min.js") for u in urls)
            assert any(u.startswith("/static/js/views/") for u in urls)  # the import graph was followed
            assert client.get("/embed").status_code == 200

            models = client.get("/api/models").json()
            assert sorted(m["name"] for m in models["models"]) == SHIPPED
            trace = client.post("/api/trace", json={"text": "not bad at all", "model": "gru"})
            assert trace.status_code == 200, trace.text
            assert trace.json()["tokens"] == ["not", "bad", "at", "all"]
    finally:
        server.terminate()
        server.wait(timeout=30)
