"""What a user gets wrong on the command line is said at once, in one line, before any work:
an --out that cannot be written, a malformed --batch file; a read-only --data still makes
reports; text from filings and file names never reaches the terminal as control codes."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from workbench.errors import ValidationError
from workbench.frames.ingest import ingest_to_dir
from workbench.frames.store import snapshot
from workbench.pipeline import derived_frames, open_tables
from workbench.reports.run import read_batch
from workbench.sample import sample_paths


def _read_only(folder: Path) -> Iterator[Path]:
    """Make ``folder`` (and what it holds) read-only for this process: a read-only bind
    mount as root, the permission bits otherwise."""
    if os.geteuid() != 0:
        for p in [folder, *folder.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        yield folder
        return
    bind = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip(f"root here cannot mount, so nothing is read-only to it: {bind.stderr!r}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def read_only_store(tmp_path: Path) -> Iterator[Path]:
    """The sample ingested (no derived tables yet), then made read-only."""
    data = tmp_path / "data"
    ingest_to_dir(sample_paths(), data, workers=1)
    yield from _read_only(data)


def test_an_out_that_cannot_be_written_fails_before_the_parse(tmp_path, wb):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    res = wb("ingest", *map(str, sample_paths()), "--out", str(a_file / "tables"))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.startswith(f"error: cannot write tables to {a_file / 'tables'}")
    assert "input files" not in res.stdout  # no parse, no summary


def test_a_read_only_out_fails_before_the_parse(tmp_path, wb):
    out = tmp_path / "out"
    out.mkdir()
    for _ in _read_only(out):
        res = wb("ingest", *map(str, sample_paths()), "--out", str(out))
        assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr
        assert "cannot write tables to" in res.stderr and "input files" not in res.stdout


def test_a_read_only_data_directory_still_makes_reports(read_only_store, tmp_path, wb):
    before = snapshot(read_only_store)
    _, tables = open_tables(read_only_store)  # derived in memory
    expected = derived_frames(read_only_store)
    for name in ("timeliness", "dilution"):
        assert tables[name].collect().equals(expected[name])
    res = wb("report", "company_dilution", "-p", "company", "innovo", "--data",
              str(read_only_store), "--out", str(tmp_path / "reports"))  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "2,000,000" in Path(res.stdout.strip()).read_text()  # the plan's shares
    assert snapshot(read_only_store) == before  # nothing written into --data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "holds no parameter sets"),
        (b"# only a comment\n", "holds no parameter sets"),
        (b"cik,company\n", "a header but no parameter sets"),
        (b"cik,company\n320193,Apple,extra\n", "line 2: 3 cells where the header has 2"),
        (b"cik,cik\n1,2\n", "names a column twice"),
        (b"cik='320193\n", "line 1: No closing quotation"),
        (b"cik=1 start_year=2005 cik=2\n", "line 1: cik given twice"),
        (b"\xff\xfecik=1\n", "is not UTF-8 text"),
        (b"cik=1\x00\n", "NUL bytes"),
    ],
)
def test_a_malformed_batch_file_is_refused_with_its_line(tmp_path, content, message):
    batch = tmp_path / "batch.txt"
    batch.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        read_batch(batch)


def test_a_malformed_batch_file_is_a_usage_error_before_any_report(tmp_path, wb):
    batch = tmp_path / "batch.csv"
    batch.write_bytes(b"cik,company\n320193,Apple,extra\n")
    res = wb("report", "company_dilution", "--batch", str(batch), "--out", str(tmp_path / "r"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "Invalid value for --batch" in res.stderr and "3 cells" in res.stderr
    assert not (tmp_path / "r").exists()


def test_control_characters_in_names_and_messages_are_escaped(tmp_path, wb):
    evil = tmp_path / "evil\x1b[2J\x1b]0;owned\x07.txt"
    evil.write_bytes(b"\x1b[31m not a filing \x1b[0m")
    shutil.copy(sample_paths()[0], tmp_path / "good.txt")
    res = wb("ingest", str(tmp_path), "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    assert "\x1b" not in res.stdout and "\x07" not in res.stdout
    assert "evil\\x1b[2J\\x1b]0;owned\\x07.txt" in res.stdout
    issues = pl.read_parquet(tmp_path / "out" / "parse_issues.parquet")
    assert issues.filter(pl.col("source_path").str.contains("evil")).height == 1  # kept as is
