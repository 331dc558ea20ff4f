"""Frames are built strictly: a value that does not fit its column is never coerced.

Polars' own constructor (even with ``strict=True``) turns ``fee_check="OK"`` into null and
1,000,000.9 shares into 1,000,000; these tests pin that our frames do neither.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import ValidationError
from workbench.frames import records
from workbench.frames.validate import from_rows, row_problems
from workbench.sample import sample_paths


def _offering(**kw):
    row = {"source_path": "x.txt", "row_number": 1, "row_group": "fees_to_be_paid",
           "fee_check": "ok", "shares_registered": 1_000_000}  # fmt: skip
    row.update(kw)
    return row


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("fee_check", "OK"),  # not a code of the vocabulary
        ("shares_registered", 1_000_000.9),  # a float into an integer column
        ("shares_registered", 2**63),  # above Int64
        ("shares_registered", True),  # a bool is not a count
        ("filed_date", dt.datetime(2024, 1, 2, 3, 4)),  # a datetime is not a date
        ("security_title", 5),
    ],
)
def test_values_that_would_be_coerced_are_refused(column, value):
    row = _offering(**{column: value})
    assert row_problems("offerings", row)
    with pytest.raises(ValidationError):
        from_rows("offerings", [row])


def test_values_that_fit_build_unchanged():
    frame = from_rows(
        "offerings", [_offering(max_price_per_share=6, filed_date=dt.date(2003, 9, 26))]
    )
    assert frame.row(0, named=True)["shares_registered"] == 1_000_000
    assert frame.row(0, named=True)["max_price_per_share"] == 6.0  # an int is a valid float


def test_a_row_that_does_not_fit_becomes_an_error_row_and_the_file_keeps_the_rest(monkeypatch):
    seed = str(next(p for p in sample_paths() if p.name.startswith("001_")))
    real = records.extract_all

    def huge_shares(filing):
        for item in real(filing):
            if isinstance(item, tuple) and item[0] == "offerings":
                item = ("offerings", {**item[1], "shares_registered": 2**64})
            yield item

    monkeypatch.setattr(records, "extract_all", huge_shares)
    rec = records.process_file(seed)
    assert rec.rows["offerings"] == [] and len(rec.rows["filings"]) == 1
    errors = [r for r in rec.rows["parse_issues"] if r["severity"] == "error"]
    assert [r["code"] for r in errors] == ["value_does_not_fit"]
    assert "shares_registered=18446744073709551616" in errors[0]["message"]


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.none(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5), st.booleans()
    )
)
def test_property_a_value_that_passes_the_check_survives_the_frame_unchanged(value):
    row = _offering(shares_registered=value)
    if row_problems("offerings", row):
        with pytest.raises(ValidationError):
            from_rows("offerings", [row])
    else:
        assert from_rows("offerings", [row])["shares_registered"][0] == value


def test_a_rerun_reads_and_hashes_each_file_once_and_skips_what_is_stored(tmp_path, monkeypatch):
    from workbench.frames.ingest import ingest_to_dir

    paths = [str(p) for p in sample_paths()]
    first = ingest_to_dir(paths, tmp_path, workers=1)
    assert first.n_skipped == 0
    calls: list[str] = []
    real = records.load_source

    def counting(path, *args, **kwargs):
        calls.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(records, "load_source", counting)
    again = ingest_to_dir(paths, tmp_path, workers=1)
    assert (again.n_inputs, again.n_skipped) == (len(paths), len(paths))
    assert sorted(calls) == sorted(paths)  # once each: the skip test is the parse's own read
    assert again.tables["filings"].height == 0
    assert again.tables["parse_issues"].filter(pl.col("code") == "not_accounted").height == 0
