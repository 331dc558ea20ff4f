#!/usr/bin/env bash
# The main job: install into .venv, ingest the bundled sample, write reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/workbench sample --data data/sample --out reports
