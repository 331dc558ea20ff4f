"""The filings index: every filing a user has, from EDGAR index files, submissions JSON and
the tables ``workbench ingest`` wrote, in one validated frame (``filings_index``).

When the same accession number arrives from several sources, the richest source wins:
submissions JSON (period, acceptance time, category) over ingested filings over index files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from workbench.errors import ParseError, SourceError
from workbench.frames.store import read_table
from workbench.frames.tables import TABLES
from workbench.frames.validate import validate
from workbench.sources.index_files import (
    INDEX_COLUMNS,
    TICKER_COLUMNS,
    finish_index,
    is_tickers_file,
    read_index_and_tickers,
)

_PRIORITY = {"submissions_json": 0, "ingest": 1, "index_master": 2, "index_form": 2,
             "index_company": 2}  # fmt: skip
_INDEX_SUFFIXES = (".idx", ".json")


@dataclass(slots=True)
class IndexResult:
    """The index frame and the inputs that could not be read."""

    frame: pl.DataFrame
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (path, code, message)
    n_inputs: int = 0
    #: the tickers the inputs list (``tickers`` table); empty when none did
    tickers: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=TICKER_COLUMNS))


def from_ingested(data_dir: str | os.PathLike[str]) -> pl.DataFrame:
    """Index rows for what ``workbench ingest`` stored in ``data_dir``.

    Period ends come from the header, or for a 12b-25 from its "For Period Ended"; a bare
    notice without an EDGAR date takes its signature date (``filed_date_source``).
    """
    filings = read_table(data_dir, "filings")
    if filings is None:
        return pl.DataFrame(schema=INDEX_COLUMNS)
    notices = read_table(data_dir, "late_notices")
    frame = filings.select(
        "source_path", "cik", "company_name", "form_type", "filed_date",
        pl.col("period_of_report").alias("period_end"), "acceptance_datetime",
        "accession_number", "fiscal_year_end",
        pl.when(pl.col("filed_date").is_null()).then(None)
        .when(pl.col("form_type_source") == "header").then(pl.lit("edgar"))
        .otherwise(pl.lit("cover")).alias("filed_date_source"),
    )  # fmt: skip
    if notices is not None and notices.height:
        frame = frame.join(
            notices.select("source_path", "period_ended", "signed_date"),
            on="source_path",
            how="left",
            maintain_order="left",
        ).with_columns(
            pl.coalesce("period_end", "period_ended").alias("period_end"),
            pl.when(pl.col("filed_date").is_null() & pl.col("signed_date").is_not_null())
            .then(pl.lit("signature"))
            .otherwise(pl.col("filed_date_source"))
            .alias("filed_date_source"),
            pl.coalesce("filed_date", "signed_date").alias("filed_date"),
        )
    return finish_index(frame, "ingest", str(data_dir))


def _inputs(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Path]]:
    files: list[Path] = []
    stores: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            if (p / "filings.parquet").exists():
                stores.append(p)
            files.extend(
                sorted(
                    c for c in p.rglob("*") if c.is_file() and c.suffix.lower() in _INDEX_SUFFIXES
                )
            )
        else:
            files.append(p)
    return files, stores


def build_index(paths: Iterable[str | os.PathLike[str]]) -> IndexResult:
    """Read index files (``.idx``), submissions JSON and ingested stores (directories with
    ``filings.parquet``) into one ``filings_index`` frame; unreadable inputs are listed in
    ``errors`` and the rest is still returned."""
    files, stores = _inputs(paths)
    frames: list[pl.DataFrame] = []
    result = IndexResult(
        frame=pl.DataFrame(schema=INDEX_COLUMNS), n_inputs=len(files) + len(stores)
    )
    tickers: list[pl.DataFrame] = []
    for path in files:
        if path.suffix.lower() == ".json" and "-submissions-" in path.name:
            continue  # an older page: read through the main submissions file that lists it
        try:
            listed, named = read_index_and_tickers(path)
            frames.append(listed)
            # SEC's company_tickers.json (today's list) ahead of what submissions JSON say
            tickers.insert(0 if is_tickers_file(path) else len(tickers), named)
        except (ParseError, SourceError) as exc:
            result.errors.append((str(path), getattr(exc, "code", "unreadable_file"), exc.message))
        except Exception as exc:  # hostile input must not end the batch
            result.errors.append((str(path), "internal_error", f"{type(exc).__name__}: {exc}"))
    frames.extend(from_ingested(store) for store in stores)
    if frames:
        combined = pl.concat(frames, how="vertical")
        rank = pl.col("index_source").replace_strict(_PRIORITY, default=3, return_dtype=pl.Int8)
        with_acc = combined.filter(pl.col("accession_number").is_not_null())
        without = combined.filter(pl.col("accession_number").is_null())
        with_acc = (
            with_acc.with_columns(rank.alias("_rank"))
            .sort("_rank", maintain_order=True)
            .unique("accession_number", keep="first", maintain_order=True)
            .drop("_rank")
        )
        result.frame = pl.concat([with_acc, without], how="vertical").with_columns(
            # what one source knows of a company (fiscal year end, category) serves its rows
            # from every source, so index-file rows get a fiscal year end where one is known
            pl.coalesce(c, pl.col(c).drop_nulls().last().over("cik")).alias(c)
            for c in ("fiscal_year_end", "filer_category_stated")
        )
    if tickers:
        result.tickers = validate(
            pl.concat(tickers, how="vertical").unique("ticker", keep="first", maintain_order=True),
            "tickers",
        )
    result.frame = validate(
        result.frame.with_columns(
            pl.col("index_source").cast(TABLES["filings_index"].schema()["index_source"])
        ),
        "filings_index",
    )
    return result
