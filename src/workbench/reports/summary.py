"""A static HTML page summarising an ingest: what was read, what went wrong.

The stand-in for the papermill reports until they land; it needs no Jupyter to open.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

import polars as pl

from workbench.frames.store import read_table
from workbench.version import __version__


def _table(frame: pl.DataFrame, columns: list[str]) -> str:
    cols = [c for c in columns if c in frame.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
        + "</tr>"
        for row in frame.select(cols).iter_rows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _optional(data_dir: str | os.PathLike[str], table: str, columns: list[str]) -> str:
    frame = read_table(data_dir, table)
    if frame is None or not frame.height:
        return "<p>None.</p>"
    return _table(frame, columns)


def write_summary(data_dir: str | os.PathLike[str], out_path: str | os.PathLike[str]) -> Path:
    """Write ``out_path`` (HTML) describing the tables in ``data_dir``."""
    filings = read_table(data_dir, "filings")
    issues = read_table(data_dir, "parse_issues")
    documents = read_table(data_dir, "documents")
    if filings is None or issues is None or documents is None:
        raise FileNotFoundError(f"no ingested tables in {data_dir}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Filings Workbench — ingest summary</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }}
th, td {{ border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; }}
th {{ background: #f3f3f3; }}
</style></head><body>
<h1>Ingest summary</h1>
<p>{filings.height} filings, {documents.height} documents,
{issues.filter(pl.col("severity") == "error").height} errors and
{issues.filter(pl.col("severity") == "warning").height} warnings.
Data: <code>{html.escape(str(Path(data_dir).resolve()))}</code>.
Generated {stamp} by filings-workbench {__version__}.</p>
<h2>Filings</h2>
{
        _table(
            filings,
            [
                "source_path",
                "form_type",
                "form_type_source",
                "company_name",
                "cik",
                "accession_number",
                "filed_date",
                "period_of_report",
                "irs_number",
                "sec_file_number",
                "state_of_incorporation",
                "document_count",
                "layout",
            ],
        )
    }
<h2>S-8 fee tables</h2>
{
        _optional(
            data_dir,
            "offerings",
            [
                "source_path",
                "row_number",
                "security_title",
                "shares_registered",
                "max_price_per_share",
                "max_aggregate_offering_price",
                "registration_fee",
                "fee_rate_per_million_expected",
                "fee_check",
            ],
        )
    }
<h2>Form 12b-25 notices</h2>
{
        _optional(
            data_dir,
            "late_notices",
            [
                "source_path",
                "form_type",
                "report_type",
                "period_ended",
                "relief_checked",
                "expected_filing_date",
                "signed_date",
                "reason_labels",
            ],
        )
    }
<h2>Documents</h2>
{_table(documents, ["source_path", "sequence", "doc_type", "filename", "text_format", "n_chars"])}
<h2>Parse issues</h2>
{
        _table(issues, ["source_path", "severity", "code", "message"])
        if issues.height
        else "<p>None.</p>"
    }
</body></html>
"""
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
