#!/usr/bin/env bash
# Create .venv (with the stdlib venv, or virtualenv where python3-venv is missing) and install
# the project into it. Sourced by run-sample.sh and test.sh; $1 is the pip extra to install.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
extra="${1:-}"
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    "$PYTHON" -m pip install --quiet --user virtualenv
    "$PYTHON" -m virtualenv --quiet .venv
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ -n "$extra" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extra]"
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
