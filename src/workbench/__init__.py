"""Filings Workbench: SEC EDGAR filings into Polars frames for dilution and timeliness research.

The public API::

    import workbench
    filing = workbench.parse_filing("0000320193-97-000011.txt")   # one file → Filing
    result = workbench.ingest(["filings/"])                        # many → frames
    result.filings, result.documents, result.parse_issues
"""

from __future__ import annotations

from workbench.analytics.deadlines import DueDates, due_dates, edgar_filing_date
from workbench.forms.filing import Filing, parse_filing
from workbench.frames.ingest import IngestResult, ingest, ingest_to_dir
from workbench.frames.store import read_table, scan_tables
from workbench.sample import sample_paths
from workbench.version import __version__

__all__ = [
    "DueDates",
    "Filing",
    "IngestResult",
    "__version__",
    "due_dates",
    "edgar_filing_date",
    "ingest",
    "ingest_to_dir",
    "parse_filing",
    "read_table",
    "sample_paths",
    "scan_tables",
]
