"""Timeliness panel at EDGAR scale: a generated filings index shaped like 1996–2026.

Generates (once, cached) an index of ``--rows`` filings (default 25 million) with EDGAR's
rough shape: ~800,000 CIKs, a form mix dominated by Forms 4, 8-K, 424B and 10-Q, about
9,000 companies a year filing 10-K/10-Q on their fiscal calendars (10-K peaks in March,
10-Q in May/August/November), about 3% of reports late and about 1.5% with a 12b-25
notice, and no period or fiscal year end on index rows (as in form.idx). Then builds the
panel with lazy Polars from the Parquet file in a fresh process and prints rows/s and the
process's peak memory.

    python benchmarks/timeliness.py [--rows 25000000] [--data /tmp/wb-bench]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

START, END = dt.date(1996, 1, 1), dt.date(2026, 10, 31)
OTHER_FORMS = {
    "4": 0.40, "8-K": 0.10, "424B2": 0.07, "SC 13G/A": 0.05, "D": 0.04, "3": 0.03,
    "6-K": 0.03, "13F-HR": 0.03, "DEF 14A": 0.02, "497": 0.05, "S-8": 0.004,
    "S-8 POS": 0.002, "N-CSR": 0.006, "424B3": 0.05,
    "FWP": 0.05, "SC 13D": 0.02, "CORRESP": 0.03,
}  # fmt: skip


def _periodic(rng: np.random.Generator, n_target: int) -> pl.DataFrame:
    """10-K / 10-Q (and NT notices) on each company's fiscal calendar."""
    n_companies = 12_000
    fye_month = rng.choice(
        [12, 3, 6, 9, 1, 5, 8, 10], n_companies, p=[0.68, 0.07, 0.09, 0.07, 0.03, 0.02, 0.02, 0.02]
    )
    rows = []
    for year in range(1996, 2026):
        ciks = np.flatnonzero(rng.random(n_companies) < 0.75)
        for q in range(4):
            offset = fye_month[ciks] + 3 * (q + 1) - 1
            annual = q == 3
            lag = rng.normal(72 if annual else 37, 6 if annual else 3, ciks.size).clip(20, None)
            late = rng.random(ciks.size) < 0.03
            lag = np.where(late, lag + rng.exponential(40, ciks.size), lag).astype(np.int64)
            base = pl.DataFrame(
                {
                    "cik": ciks.astype(np.int64) + 1_000_000,
                    "yr": year + offset // 12,
                    "mo": offset % 12 + 1,
                    "lag": lag,
                    "nt": rng.random(ciks.size) < 0.015,
                }
            ).with_columns(pl.date("yr", "mo", 1).dt.month_end().alias("period"))
            rows.append(
                base.select(
                    "cik",
                    pl.lit("10-K" if annual else "10-Q").alias("form_type"),
                    (pl.col("period") + pl.duration(days="lag")).alias("filed_date"),
                )
            )
            rows.append(
                base.filter("nt").select(
                    "cik",
                    pl.lit("NT 10-K" if annual else "NT 10-Q").alias("form_type"),
                    (pl.col("period") + pl.duration(days=90 if annual else 45)).alias("filed_date"),
                )
            )
    return pl.concat(rows).filter(pl.col("filed_date") <= END).head(n_target)


def generate(path: Path, n_rows: int, seed: int = 7) -> None:
    """Write the synthetic index to ``path`` (Parquet, one row group per chunk)."""
    rng = np.random.default_rng(seed)
    periodic = _periodic(rng, n_rows)
    n_other = n_rows - periodic.height
    forms = list(OTHER_FORMS)
    p = np.array(list(OTHER_FORMS.values()))
    span = (END - START).days
    chunks = [periodic.with_columns(pl.lit(None, pl.String).alias("_"))]
    step = 5_000_000
    for lo in range(0, n_other, step):
        n = min(step, n_other - lo)
        days = rng.integers(0, span, n)
        chunks.append(
            pl.DataFrame(
                {
                    "cik": rng.integers(1_000, 800_000, n) * 3,
                    "form_type": np.array(forms)[rng.choice(len(forms), n, p=p / p.sum())],
                    "filed_date": pl.Series(days).cast(pl.Int32)
                    + (START - dt.date(1970, 1, 1)).days,
                }
            ).with_columns(pl.col("filed_date").cast(pl.Date), pl.lit(None, pl.String).alias("_"))
        )
    frame = pl.concat(chunks, how="vertical_relaxed").drop("_")
    frame = frame.with_columns(
        pl.format("COMPANY {}", pl.col("cik")).alias("company_name"),
        pl.lit(None, pl.Date).alias("period_end"),
        pl.lit(None, pl.Datetime("us", "America/New_York")).alias("acceptance_datetime"),
        pl.format("{}-{}-{}", pl.col("cik").cast(pl.String).str.zfill(10),
                  pl.col("filed_date").dt.strftime("%y"), pl.int_range(pl.len()).cast(pl.String).str.zfill(6)).alias("accession_number"),
        pl.lit(None, pl.String).alias("file_name"),
        pl.lit(None, pl.String).alias("fiscal_year_end"),
        pl.lit(None, pl.String).alias("filer_category_stated"),
        pl.lit("edgar").alias("filed_date_source"),
        pl.lit("index_form").alias("index_source"),
        pl.lit("generated").alias("source_path"),
    )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path, row_group_size=1_000_000)


def _build(path: str) -> None:
    """Child process: build the panel and report time and peak memory as JSON."""
    from workbench.analytics.timeliness import build_timeliness

    t0 = time.perf_counter()
    rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    panel = build_timeliness(pl.scan_parquet(path)).collect()
    elapsed = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    statuses = dict(panel.group_by("status").len().iter_rows())
    print(json.dumps({"rows": rows, "panel_rows": panel.height, "seconds": elapsed,
                      "peak_mb": peak_kb / 1024, "status": {str(k): v for k, v in statuses.items()}}))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=25_000_000)
    parser.add_argument("--data", type=Path, default=Path("/tmp/wb-bench"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _build(args.child)
        return
    path = args.data / f"index-{args.rows}.parquet"
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s → {path}")
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True
    )
    r = json.loads(out.stdout)
    print(f"index rows        {r['rows']:,}")
    print(f"panel rows        {r['panel_rows']:,}")
    print(f"build time        {r['seconds']:.1f} s  ({r['rows'] / r['seconds']:,.0f} index rows/s)")
    print(f"peak memory       {r['peak_mb']:,.0f} MB (whole process, ru_maxrss)")
    print(f"statuses          {r['status']}")


if __name__ == "__main__":
    main()
