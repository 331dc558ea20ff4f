"""The 5:30 pm rule against EDGAR's own filing dates for 4,882 real NT filings."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from workbench.analytics.deadlines import filing_date_agreement


@pytest.mark.corpus
def test_filing_dates_agree_with_edgar_on_real_acceptance_times(corpus):
    files = sorted((corpus / "index" / "derived").glob("form_nt_pit_*.jsonl"))
    raw = pl.concat(
        [pl.read_ndjson(f, infer_schema_length=None) for f in files], how="diagonal_relaxed"
    )
    assert raw.height == 4882
    lf = raw.lazy().with_columns(
        pl.col("acceptance_utc").str.to_datetime(time_zone="UTC"),
        pl.col("date_filed").str.to_date(),
    )
    out = filing_date_agreement(lf, accepted="acceptance_utc", stated="date_filed").collect()
    timed = out.filter(pl.col("kind") != "no_acceptance_time")
    rate = timed.filter(pl.col("kind") == "agree").height / timed.height
    assert rate > 0.99  # 4,767 / 4,805 when written
    # every disagreement is one of the explained kinds, none unexplained
    assert "other" not in out["kind"].cast(pl.String).to_list()
    late = timed.filter(pl.col("kind") == "accepted_after_cutoff_dated_same_day")
    times = late["accepted_et_time"].to_list()
    assert times and all(dt.time(17, 30) < t < dt.time(19, 0) for t in times)
