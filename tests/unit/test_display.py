"""What a person sees: escaped HTML cells, EDGAR links, and a timeline window that is the
latest reports (never an arbitrary slice) and says how many it leaves out."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.charts.timeliness import company_timeline_chart, timeline_window
from workbench.display import company_cell, source_cell, table
from workbench.frames.validate import empty


def test_cells_escape_names_and_paths():
    cell = company_cell("<b>A & B</b>", 12)
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in cell and "CIK 12" in cell
    assert "no CIK" in company_cell("Bare Co", None)
    src = source_cell('/d/"x".txt', "0000000001-03-000001", "https://x.test/a?b=1&c=2")
    assert 'href="https://x.test/a?b=1&amp;c=2"' in src
    assert "&quot;x&quot;.txt" in src
    # no URL: the accession number is plain text, not a dead link
    assert "<a " not in source_cell("/d/x.txt", "0000000001-03-000001", None)
    assert source_cell(None, None) == "—"
    assert "<th>&lt;h&gt;</th>" in table(["<h>"], [["1"]])


_DAY0 = dt.date(1995, 1, 1)


@st.composite
def _periods(draw: st.DrawFn) -> pl.DataFrame:
    offsets = draw(st.lists(st.integers(0, 12_000), min_size=1, max_size=150))
    kinds = draw(st.lists(st.sampled_from(["10-K", "10-Q"]), min_size=len(offsets),
                          max_size=len(offsets)))  # fmt: skip
    due = [_DAY0 + dt.timedelta(days=o) for o in offsets]
    return pl.DataFrame(
        {
            "report_type": kinds,
            "period_end": [d - dt.timedelta(days=60) for d in due],
            "due_date": due,
            "nt_filed_date": [None] * len(due),
            "nt_deadline": due,
            "extended_due_date": due,
            "report_filed_date": due,
            "status": ["on_time"] * len(due),
        },
        schema_overrides={"nt_filed_date": pl.Date},
    )


@settings(max_examples=60, deadline=None)
@given(_periods(), st.integers(1, 80))
def test_timeline_window_is_the_latest_reports(periods, limit):
    shown, title = timeline_window(periods, limit)
    assert shown.height == min(limit, periods.height)
    assert shown["due_date"].is_sorted()
    # nothing left out is later than anything shown
    latest = sorted(periods["due_date"].to_list())[-shown.height :]
    assert sorted(shown["due_date"].to_list()) == latest
    if periods.height > limit:
        assert f"latest {limit} of {periods.height:,}" in title
    else:
        assert "of" not in title.split(":")[0] and "latest" not in title


def test_long_timeline_chart_says_it_is_a_window():
    due = [_DAY0 + dt.timedelta(days=91 * i) for i in range(100)]
    periods = pl.DataFrame(
        {
            "report_type": ["10-Q"] * 100,
            "period_end": [d - dt.timedelta(days=45) for d in due],
            "due_date": due,
            "nt_filed_date": [None] * 100,
            "nt_deadline": due,
            "extended_due_date": due,
            "report_filed_date": due,
            "status": ["on_time"] * 100,
        },
        schema_overrides={"nt_filed_date": pl.Date},
    )
    periods = pl.concat([empty("timeliness"), periods], how="diagonal_relaxed")  # every column
    spec = company_timeline_chart(periods).to_dict()
    assert "latest 60 of 100" in spec["title"]
    assert spec["encoding"]["y"]["sort"][0] == f"10-Q {due[40] - dt.timedelta(days=45)}"
