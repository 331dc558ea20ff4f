#!/usr/bin/env bash
# The whole suite: install into .venv with the dev extra, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/bootstrap.sh dev
.venv/bin/ruff check src tests benchmarks notebooks
.venv/bin/ruff format --check src tests benchmarks notebooks
.venv/bin/mypy
.venv/bin/python -m pytest -n 2 -p no:cacheprovider "$@"
