#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run the checks and the whole test suite.
# Usage: scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium drives the browser tests (never `playwright install`: no browser downloads here).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

# torch==2.13.0 is a CPU wheel: the PyTorch comparisons run for real, not only the golden fixtures.
python -m pip install -q --disable-pip-version-check -e ".[test,train]" "torch==2.13.0"

ruff check app tests bench
mypy --strict app/core app/api app/main.py app/figures
python -m pytest -q "$@"
