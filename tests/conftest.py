"""Shared fixtures: where the real corpus is, and the rule that CI never skips for it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl
import pytest

import workbench
from workbench.sources.files import path_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _corpus_dir() -> Path:
    env = os.environ.get("WORKBENCH_CORPUS")
    return Path(env) if env else ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session", autouse=True)
def _sample_data_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests (and the kernels and CLIs they start) build the bundled sample's tables in a
    temporary folder, never in the user's cache."""
    os.environ["WORKBENCH_SAMPLE_DATA"] = str(tmp_path_factory.mktemp("sample-data"))


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
def accounted() -> Callable[[workbench.IngestResult, Iterable[str | Path]], None]:
    """The conservation rule as a check: every input is a ``filings`` row, a ``data_files``
    row or has an ``error`` row (paths compared as the tables show them)."""

    def check(result: workbench.IngestResult, paths: Iterable[str | Path]) -> None:
        rows = set(result.filings["source_path"].to_list())
        rows |= set(result.tables["data_files"]["source_path"].to_list())
        errors = result.parse_issues.filter(pl.col("severity") == "error")
        rows |= set(errors["source_path"].to_list())
        missing = [path_text(p) for p in paths if path_text(p) not in rows]
        assert not missing, missing

    return check


@pytest.fixture(scope="session")
def wb() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the ``workbench`` CLI in a child process: ``wb("ingest", ..., cwd=, env=,
    timeout=)``; an ``env`` value of None removes that variable."""

    def run(
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str | None] | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        child = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "workbench.cli", *args], capture_output=True, text=True,
            cwd=cwd, timeout=timeout, env={k: v for k, v in child.items() if v is not None},
        )  # fmt: skip

    return run


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """Files we wrote ourselves (named synthetic-*)."""
    return FIXTURES


#: flags for Chromium on this closed network (no background requests, no sandbox as root)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="session")
def chromium() -> dict[str, object]:
    """Playwright launch options for Debian's Chromium, which the test command installs; on
    CI its absence is a failure."""
    path = Path(os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium"))
    try:
        import playwright  # noqa: F401
    except ImportError:
        path = Path("/nonexistent")
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium or playwright missing ({path}); the test command installs both")
        pytest.skip("chromium or playwright not installed")
    return {"executable_path": str(path), "args": CHROMIUM_ARGS}
