"""Issue 16, item 1: whatever one file holds, it becomes its rows or an error row, and the
batch goes on. Damaged inputs of every kind the fault run found batch-breaking, made from
real filings and ingested together in one batch, plus the paths a walk can meet."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import polars as pl
import pytest

import workbench
from workbench.frames.records import process_file
from workbench.sgml.header import parse_acceptance
from workbench.sources import files
from workbench.sources.files import iter_input_files


def _damage(text: str) -> dict[str, bytes]:
    """One input per kind of damage that used to fail a whole batch (or stall it)."""
    return {
        # spring-forward gap: 02:30 on 12 March 2023 does not exist in New York
        "dst_gap.txt": re.sub(r"<ACCEPTANCE-DATETIME>\d+", "<ACCEPTANCE-DATETIME>20230312023000",
                              text).encode("latin-1"),
        "big_cik.txt": re.sub(r"(CENTRAL INDEX KEY:\s*)\d+", r"\g<1>99999999999999999999999",
                              text).encode("latin-1"),
        "big_sequence.txt": re.sub(r"<SEQUENCE>\d+", "<SEQUENCE>99999999999999999999999",
                                   text).encode("latin-1"),
        "big_count.txt": re.sub(r"(PUBLIC DOCUMENT COUNT:\s*)\d+",
                                r"\g<1>99999999999999999999999", text).encode("latin-1"),
        "spaces_in_header.txt": text.replace(
            "COMPANY CONFORMED NAME:", "COMPANY CONFORMED NAME:" + " " * 300_000, 1
        ).encode("latin-1"),
        "unclosed_td.htm": ("<html><body><table><tr>" + "<td" * 40_000).encode(),
        "unclosed_quote.htm": ('<html><body><a title="' * 20_000).encode(),
        "long_attribute.htm": ("<html><body><div class=" + "a" * 2_000_000 + ">x</div>").encode(),
        "json_surrogate.json": b'{"cik": 320193, "entityName": "\\ud800", "facts": {}}',
        "json_big_cik.json": b'{"cik": 99999999999999999999999, "name": "X", "filings": {}}',
        "json_list.json": b"[1, 2, 3]",
        "gzipped.txt.gz": gzip.compress(text.encode("latin-1")),
        "not_gzip.txt.gz": b"this is not gzip",
    }  # fmt: skip


@pytest.mark.corpus
def test_every_kind_of_damage_in_one_batch(corpus: Path, tmp_path: Path, accounted) -> None:
    # a 1997 10-Q (PEM header) and a 2024 8-K (with an acceptance time)
    sources = [
        corpus / "filings" / "10-Q" / "0000320193-97-000011.txt",
        corpus / "filings" / "8-K" / "0000943374-24-000509.txt",
    ]
    made: list[Path] = []
    for i, src in enumerate(sources):
        for name, data in _damage(src.read_bytes().decode("latin-1")).items():
            p = tmp_path / f"{i}_{name}"
            p.write_bytes(data)
            made.append(p)
    odd = tmp_path / os.fsdecode(b"name\xff.txt")  # a file name that is not UTF-8
    odd.write_bytes(sources[0].read_bytes())
    made.append(odd)
    # the same file twice, and a folder plus a file inside it: ingested once
    result = workbench.ingest([tmp_path, made[0], made[0]], workers=2)
    assert result.n_inputs == len(made)
    accounted(result, made)
    codes = result.parse_issues["code"].to_list()
    assert "worker_crashed" not in codes and "timeout" not in codes
    assert "internal_error" not in codes, result.parse_issues.filter(
        pl.col("code") == "internal_error"
    )["message"].to_list()
    paths = result.filings["source_path"].to_list()
    assert "\\xff" in " ".join(paths)  # the odd name, shown escaped
    gz = result.filings.filter(pl.col("source_path").str.ends_with("0_gzipped.txt.gz"))
    assert gz.height == 1 and gz["cik"].item() == 320193  # read, not skipped
    gap = result.filings.filter(pl.col("source_path").str.ends_with("1_dst_gap.txt"))
    assert str(gap["acceptance_datetime"].item()) == "2023-03-12 03:30:00-04:00"


def test_a_time_inside_the_spring_forward_gap_is_the_same_instant() -> None:
    # 02:30 does not exist on 2023-03-12 in New York; read at EST (UTC-5) it is 07:30 UTC
    when = parse_acceptance("20230312023000")
    assert when is not None and when.utcoffset() is not None
    assert when.isoformat() == "2023-03-12T03:30:00-04:00"
    # an ambiguous autumn time keeps its first (daylight) reading
    assert str(parse_acceptance("20231105013000")) == "2023-11-05 01:30:00-04:00"


def test_special_files_and_broken_links_in_a_walk_are_error_rows(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("FORM S-8\n")
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop_dir").symlink_to(tmp_path)  # a folder that contains itself
    result = workbench.ingest([tmp_path], workers=1)
    errors = dict(
        result.parse_issues.filter(pl.col("severity") == "error")
        .select(pl.col("source_path").str.replace(r".*/", ""), "message")
        .iter_rows()
    )
    assert set(errors) == {"fifo.txt", "a.txt", "b.txt", "dangling.txt"}
    assert "FIFO" in errors["fifo.txt"]
    assert "symbolic links" in errors["a.txt"]
    assert "No such file" in errors["dangling.txt"]
    assert result.n_inputs == 5  # good.txt once, although loop_dir reaches it again


def test_a_folder_that_cannot_be_listed_is_an_error_row(tmp_path, monkeypatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):  # root can list anything, so refuse as the OS would
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(files.os, "scandir", scandir)
    found = list(iter_input_files([tmp_path]))
    assert found == [locked]
    rec = process_file(str(locked))
    [row] = rec.rows["parse_issues"]
    assert row["severity"] == "error" and "cannot list folder" in row["message"]


def test_a_gzip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"\0" * 5_000_000))
    rec = process_file(str(bomb), max_bytes=1_000_000)
    [row] = rec.rows["parse_issues"]
    assert row["code"] == "unreadable_file" and "over the 1,000,000-byte limit" in row["message"]


def test_a_file_over_its_time_budget_is_an_error_row_and_the_batch_goes_on(
    tmp_path, monkeypatch
) -> None:
    import workbench.frames.records as records

    slow, fine = tmp_path / "slow.txt", tmp_path / "fine.txt"
    slow.write_text("FORM S-8\n")
    fine.write_text("FORM S-8\n")
    real = records.parse_filing

    def parse(source):
        if source.path.endswith("slow.txt"):
            while True:  # a parser that never returns
                pass
        return real(source)

    monkeypatch.setattr(records, "parse_filing", parse)
    out = [process_file(str(p), budget_s=0.5) for p in (slow, fine)]
    assert [r["code"] for r in out[0].rows["parse_issues"]] == ["timeout"]
    assert len(out[1].rows["filings"]) == 1
