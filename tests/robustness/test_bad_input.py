"""Bad input never crashes a batch and never vanishes: every file becomes a filings row or
an ``error`` row in parse_issues (the conservation rule)."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench
from workbench.frames.records import process_file
from workbench.sample import sample_paths


def _real_files(corpus: Path) -> list[Path]:
    files = sorted(p for p in (corpus / "filings").rglob("*") if p.is_file())
    return files + sample_paths()


@pytest.mark.corpus
def test_random_truncations_flips_and_garbage(corpus, tmp_path, accounted):
    rng = random.Random(20031)
    made: list[Path] = []
    for i, src in enumerate(_real_files(corpus)):
        data = src.read_bytes()
        for j in range(3):
            cut = rng.randrange(1, len(data))
            p = tmp_path / f"trunc_{i}_{j}.txt"
            p.write_bytes(data[:cut])
            made.append(p)
        flipped = bytearray(data)
        for _ in range(50):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        p = tmp_path / f"flip_{i}.txt"
        p.write_bytes(bytes(flipped))
        made.append(p)
        p = tmp_path / f"garbage_{i}.txt"
        p.write_bytes(data + bytes(rng.randrange(256) for _ in range(5000)))
        made.append(p)
    result = workbench.ingest([tmp_path], workers=2)
    assert result.n_inputs == len(made)
    accounted(result, made)
    assert "internal_error" not in result.parse_issues["code"].to_list()
    assert "worker_crashed" not in result.parse_issues["code"].to_list()


@pytest.mark.corpus
def test_cut_inside_a_document_is_an_error_but_the_filing_stays(corpus, tmp_path):
    src = corpus / "filings/10-K/0001047469-97-006960.txt"
    raw = src.read_bytes()
    cut = raw.index(b"<TYPE>EX-21") + 200
    p = tmp_path / "cut.txt"
    p.write_bytes(raw[:cut])
    rec = process_file(str(p))
    codes = {(r["severity"], r["code"]) for r in rec.rows["parse_issues"]}
    assert ("error", "truncated_document") in codes
    assert ("warning", "header_count_mismatch") in codes
    (filing,) = rec.rows["filings"]
    assert filing["document_count"] == 12
    assert filing["error_count"] == 1


def test_empty_whitespace_binary_and_missing(tmp_path):
    rng = random.Random(7)
    cases = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "junk.txt": bytes(rng.randrange(256) for _ in range(20000)),
        "png.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x01" * 500,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    codes = {name: [r["code"] for r in process_file(str(tmp_path / name)).rows["parse_issues"]]
             for name in cases}  # fmt: skip
    assert codes["empty.txt"] == ["empty_file"]
    assert codes["blank.txt"] == ["empty_file"]
    assert codes["junk.txt"] == ["binary_file"]
    assert codes["png.txt"] == ["binary_file"]
    rec = process_file(str(tmp_path / "does-not-exist.txt"))
    assert [(r["severity"], r["code"]) for r in rec.rows["parse_issues"]] == [
        ("error", "unreadable_file")
    ]


def test_misencoded_bytes_fall_back_to_cp1252(tmp_path):
    text = (
        "<SEC-DOCUMENT>x\n<SEC-HEADER>x\nACCESSION NUMBER:\t0000000001-03-000001\n"
        "CONFORMED SUBMISSION TYPE:\tS-8\nFILER:\n\tCOMPANY DATA:\n"
        "\t\tCOMPANY CONFORMED NAME:\tCAF\xc9 HOLDINGS\n</SEC-HEADER>\n"
        "<DOCUMENT>\n<TYPE>S-8\n<SEQUENCE>1\n<TEXT>\n\x93Plan\x94 shares \x81\n</TEXT>\n"
        "</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )
    p = tmp_path / "cp1252.txt"
    p.write_bytes(text.encode("latin-1"))
    f = workbench.parse_filing(p)
    assert f.company_name == "CAFÉ HOLDINGS"
    assert f.submission.source.encoding == "latin-1"  # 0x81 is undefined in cp1252
    assert [i.code for i in f.issues] == ["encoding_fallback"]
    p2 = tmp_path / "cp1252-ok.txt"
    p2.write_bytes(text.replace("\x81", "").encode("latin-1"))
    f2 = workbench.parse_filing(p2)
    assert f2.submission.source.encoding == "cp1252"
    assert "\u201cPlan\u201d" in f2.submission.raw_text(f2.documents[0])


def test_hostile_markup(tmp_path, accounted):
    spam = "<DOCUMENT>\n" * 20000
    (tmp_path / "spam.txt").write_text(spam)
    (tmp_path / "longline.txt").write_text(
        "<SEC-DOCUMENT>\n<SEC-HEADER>\nACCESSION NUMBER: " + "9" * 2_000_000 + "\n"
    )
    (tmp_path / "comment.htm").write_text("<html><body><!-- " + "<p>x" * 100000)
    paths = [tmp_path / "spam.txt", tmp_path / "longline.txt", tmp_path / "comment.htm"]
    result = workbench.ingest(paths, workers=1)
    accounted(result, paths)
    spam_docs = result.documents.filter(pl.col("source_path") == str(paths[0]))
    assert spam_docs.height == 20000
    assert spam_docs["is_truncated"].all()


@pytest.mark.slow
@pytest.mark.corpus
def test_fifty_megabyte_submission(corpus, tmp_path):
    src = (corpus / "filings/10-K/0001047469-97-006960.txt").read_bytes()
    head, _, rest = src.partition(b"<DOCUMENT>")
    body = rest.split(b"</DOCUMENT>")[0]
    blocks = [head]
    while sum(map(len, blocks)) < 50_000_000:
        blocks.append(b"<DOCUMENT>" + body + b"</DOCUMENT>\n")
    blocks.append(b"</SEC-DOCUMENT>\n")
    p = tmp_path / "big.txt"
    p.write_bytes(b"".join(blocks))
    assert p.stat().st_size > 50_000_000
    result = workbench.ingest([p], workers=1)
    (row,) = result.filings.to_dicts()
    assert row["document_count"] == len(blocks) - 2
    assert row["form_type"] == "10-K"
    codes = result.parse_issues["code"].to_list()
    assert codes == ["header_count_mismatch"]


_SEED_BYTES = [p.read_bytes() for p in sample_paths()]


@st.composite
def _damaged(draw: st.DrawFn) -> bytes:
    """A seed filing cut, spliced with garbage, or with bytes overwritten."""
    data = draw(st.sampled_from(_SEED_BYTES))
    kind = draw(st.sampled_from(["cut", "splice", "overwrite", "garbage"]))
    if kind == "garbage":
        return draw(st.binary(max_size=2_000))
    at = draw(st.integers(0, len(data)))
    if kind == "cut":
        return data[:at]
    junk = draw(st.binary(min_size=1, max_size=200))
    if kind == "splice":
        return data[:at] + junk + data[at:]
    return data[:at] + junk + data[at + len(junk) :]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_damaged(), min_size=1, max_size=6))
def test_property_every_damaged_input_ends_as_a_row_or_an_error_row(tmp_path, accounted, files):
    """Conservation over generated damage, in batches: the batch never raises, and each
    input is a filings row or has an error row."""
    folder = tmp_path / f"batch{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    paths = []
    for i, data in enumerate(files):
        p = folder / f"damaged_{i}.txt"
        p.write_bytes(data)
        paths.append(p)
    accounted(workbench.ingest(paths, workers=1), paths)
