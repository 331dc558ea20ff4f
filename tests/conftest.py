"""Shared fixtures: where the real corpus is, and the rule that CI never skips for it."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _corpus_dir() -> Path:
    env = os.environ.get("WORKBENCH_CORPUS")
    return Path(env) if env else ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """``../shared/corpus`` (or $WORKBENCH_CORPUS). Missing on CI is a failure, not a skip."""
    path = _corpus_dir()
    if not (path / "MANIFEST.csv").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpus not found at {path} (set WORKBENCH_CORPUS)")
        pytest.skip(f"corpus not found at {path}")
    return path


@pytest.fixture(scope="session")
def manifest(corpus: Path) -> list[dict[str, str]]:
    """Rows of ``MANIFEST.csv``."""
    with (corpus / "MANIFEST.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """Files we wrote ourselves (named synthetic-*)."""
    return FIXTURES
