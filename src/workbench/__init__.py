"""Filings Workbench: SEC EDGAR filings into Polars frames for dilution and timeliness research.

The public API::

    import workbench
    filing = workbench.parse_filing("0000320193-97-000011.txt")   # one file → Filing
    result = workbench.ingest(["filings/"])                        # many → frames
    result.filings, result.documents, result.parse_issues
    tables = workbench.scan_tables("data")                         # name → LazyFrame
    workbench.filings(ticker="AAPL", forms="10-K", data_dir="data")  # a company's filings
"""

from __future__ import annotations

from workbench.analytics.deadlines import DueDates, due_dates, edgar_filing_date
from workbench.forms.filing import Filing, parse_filing
from workbench.frames.ingest import IngestResult, ingest, ingest_to_dir
from workbench.frames.store import Tables, read_table, scan_tables
from workbench.pipeline import filings
from workbench.sample import sample_paths
from workbench.version import __version__

__all__ = [
    "DueDates",
    "Filing",
    "IngestResult",
    "Tables",
    "__version__",
    "due_dates",
    "edgar_filing_date",
    "filings",
    "ingest",
    "ingest_to_dir",
    "parse_filing",
    "read_table",
    "sample_paths",
    "scan_tables",
]
