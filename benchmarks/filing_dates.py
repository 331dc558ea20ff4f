"""EDGAR filing date from acceptance time vs EDGAR's own date, on 4,882 real NT filings.

Reads ``index/derived/form_nt_pit_*.jsonl`` (acceptance time in UTC, EDGAR ``date_filed``),
applies ``workbench.analytics.deadlines.filing_dates`` and prints the agreement rate, the
disagreements by kind, and the throughput.

    python benchmarks/filing_dates.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import polars as pl

from workbench.analytics.deadlines import filing_date_agreement


def compare(corpus: Path) -> pl.DataFrame:
    """Read the derived NT acceptance files and classify each filing."""
    files = sorted((corpus / "index" / "derived").glob("form_nt_pit_*.jsonl"))
    raw = pl.concat(
        [pl.read_ndjson(f, infer_schema_length=None) for f in files], how="diagonal_relaxed"
    )
    return filing_date_agreement(
        raw.lazy().with_columns(
            pl.col("acceptance_utc").str.to_datetime(time_zone="UTC"),
            pl.col("date_filed").str.to_date(),
        ),
        accepted="acceptance_utc",
        stated="date_filed",
    ).collect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = os.environ.get(
        "WORKBENCH_CORPUS", str(Path(__file__).parents[1] / "../shared/corpus")
    )
    parser.add_argument("--corpus", type=Path, default=Path(default))
    args = parser.parse_args()
    t0 = time.perf_counter()
    result = compare(args.corpus)
    elapsed = time.perf_counter() - t0
    timed = result.filter(pl.col("kind") != "no_acceptance_time")
    agree = timed.filter(pl.col("kind") == "agree").height
    print(
        f"{result.height} filings, {timed.height} with an acceptance time, computed in {elapsed:.2f} s"
    )
    print(f"agreement: {agree}/{timed.height} = {agree / timed.height:.2%}")
    print(result.group_by("kind").len().sort("len", descending=True))
    late = timed.filter(pl.col("kind") == "accepted_after_cutoff_dated_same_day")
    print(
        "accepted after 5:30 pm but dated the same day, acceptance times:",
        late["accepted_et_time"].min(),
        "–",
        late["accepted_et_time"].max(),
    )


if __name__ == "__main__":
    main()
