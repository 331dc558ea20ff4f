"""EDGAR's index formats read as they are served: ``form.idx``, ``master.idx``,
``company.idx`` (daily and quarterly, both date styles, header variants, empty days) and the
submissions JSON (``filings.recent`` plus the older pages it lists).

Everything comes back as a Polars frame with the same columns (``INDEX_COLUMNS``), so the
timeliness panel does not care which format a row came from. Parsing is vectorised: a
quarterly index of a million lines is a handful of string expressions, not a Python loop.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import polars as pl

from workbench.errors import ParseError, SourceError

#: column → dtype of every frame this module returns
INDEX_COLUMNS: dict[str, pl.DataType] = {
    "cik": pl.Int64(),
    "company_name": pl.String(),
    "form_type": pl.String(),
    "filed_date": pl.Date(),
    "period_end": pl.Date(),
    "acceptance_datetime": pl.Datetime("us", "America/New_York"),
    "accession_number": pl.String(),
    "file_name": pl.String(),
    "fiscal_year_end": pl.String(),
    "filer_category_stated": pl.String(),
    "filed_date_source": pl.String(),
    "index_source": pl.String(),
    "source_path": pl.String(),
}
_ACCESSION = r"(\d{10}-\d{2}-\d{6})"


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=INDEX_COLUMNS)


def finish_index(frame: pl.DataFrame, source: str, path: str) -> pl.DataFrame:
    """Add the missing columns as nulls and order them (``filed_date_source`` defaults to
    ``edgar``: the date EDGAR assigned)."""
    out = frame.with_columns(pl.lit(source).alias("index_source"))
    if "source_path" not in out.columns:
        out = out.with_columns(pl.lit(path).alias("source_path"))
    if "filed_date_source" not in out.columns:
        out = out.with_columns(pl.lit("edgar").alias("filed_date_source"))
    return out.select(
        [
            (pl.col(c) if c in out.columns else pl.lit(None)).cast(dtype).alias(c)
            for c, dtype in INDEX_COLUMNS.items()
        ]
    )


def _lines(path: str | os.PathLike[str]) -> list[str]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}", path=str(path)) from exc
    text = data.decode("utf-8", errors="replace") if data.isascii() is False else data.decode()
    return text.splitlines()


def _dates(col: pl.Expr) -> pl.Expr:
    """``20200318`` and ``2020-03-18`` alike."""
    clean = col.str.strip_chars().str.replace_all("-", "")
    return clean.str.to_date("%Y%m%d", strict=False)


def read_index_file(path: str | os.PathLike[str]) -> pl.DataFrame:
    """One ``form.idx``, ``master.idx`` or ``company.idx`` (daily or quarterly).

    Raises ``ParseError('index_layout_unknown')`` when the header is not one of EDGAR's.
    A header-only file (a day without filings) is an empty frame.
    """
    lines = _lines(path)
    rule = next((i for i, line in enumerate(lines) if re.fullmatch(r"-{20,}\s*", line)), None)
    if rule is None:
        raise ParseError(
            "index_layout_unknown", "no '-----' line under an index header", path=str(path)
        )
    header = " ".join(lines[max(0, rule - 2) : rule])
    body = pl.Series("line", lines[rule + 1 :], dtype=pl.String).to_frame()
    body = body.filter(pl.col("line").str.strip_chars() != "")
    if not body.height:
        return _empty()
    if "|" in header:
        parts = body.select(
            pl.col("line")
            .str.splitn("|", 5)
            .struct.rename_fields(["cik", "company_name", "form_type", "date", "file_name"])
        ).unnest("line")
        frame = parts.select(
            pl.col("cik").str.strip_chars().cast(pl.Int64, strict=False),
            pl.col("company_name").str.strip_chars(),
            pl.col("form_type").str.strip_chars(),
            _dates(pl.col("date")).alias("filed_date"),
            pl.col("file_name").str.strip_chars(),
        )
        kind = "index_master"
    else:
        first = header.lstrip()
        if first.startswith("Form Type"):
            width, kind = header.index("Company Name") - (len(header) - len(first)), "index_form"
        elif first.startswith("Company Name"):
            width, kind = header.index("Form Type") - (len(header) - len(first)), "index_company"
        else:
            raise ParseError(
                "index_layout_unknown", f"unknown index header {header[:80]!r}", path=str(path)
            )
        parts = body.select(
            pl.col("line")
            .str.extract_groups(
                r"^(?P<left>.*?)\s+(?P<cik>\d{1,10})\s+(?P<date>\d{8}|\d{4}-\d{2}-\d{2})\s+(?P<file>\S+)\s*$"
            )
            .alias("m")
        ).unnest("m")
        a = pl.col("left").str.slice(0, width).str.strip_chars()
        b = pl.col("left").str.slice(width).str.strip_chars()
        frame = parts.select(
            pl.col("cik").cast(pl.Int64, strict=False),
            (b if kind == "index_form" else a).alias("company_name"),
            (a if kind == "index_form" else b).alias("form_type"),
            _dates(pl.col("date")).alias("filed_date"),
            pl.col("file").alias("file_name"),
        )
    frame = frame.with_columns(
        pl.col("file_name").str.extract(_ACCESSION).alias("accession_number")
    )
    bad = frame.filter(pl.col("cik").is_null() | pl.col("filed_date").is_null()).height
    if bad:
        raise ParseError(
            "index_rows_unreadable", f"{bad} index lines could not be read", path=str(path)
        )
    return finish_index(frame, kind, str(path))


def filer_category_expr(stated: pl.Expr) -> pl.Expr:
    """The submissions JSON ``category`` ("Accelerated filer<br>Smaller reporting company")
    as a deadline category: large_accelerated, accelerated, smaller_reporting (an SRC that
    is not accelerated), non_accelerated or unknown."""
    text = stated.fill_null("").str.to_lowercase()
    return (
        pl.when(text.str.contains("large accelerated filer")).then(pl.lit("large_accelerated"))
        .when(text.str.contains("non-accelerated filer") & text.str.contains("smaller reporting"))
        .then(pl.lit("smaller_reporting"))
        .when(text.str.contains("non-accelerated filer")).then(pl.lit("non_accelerated"))
        .when(text.str.contains("accelerated filer")).then(pl.lit("accelerated"))
        .when(text.str.contains("smaller reporting")).then(pl.lit("smaller_reporting"))
        .otherwise(pl.lit("unknown"))
    )  # fmt: skip


def filer_category(stated: str | None) -> str:
    """``filer_category_expr`` for one string."""
    value = pl.select(filer_category_expr(pl.lit(stated, dtype=pl.String))).item()
    return str(value)


def _columns(block: dict[str, Any]) -> pl.DataFrame:
    keys = ("accessionNumber", "filingDate", "reportDate", "acceptanceDateTime", "form")
    if not all(k in block for k in keys):
        return pl.DataFrame()
    return pl.DataFrame({k: [str(v) if v is not None else None for v in block[k]] for k in keys})


def _load_json(p: Path) -> Any:
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read {p}: {exc}", path=str(p)) from exc
    except json.JSONDecodeError as exc:
        raise ParseError(
            "json_invalid", f"not JSON: {exc.msg} at line {exc.lineno}", path=str(p)
        ) from exc


#: column → dtype of a tickers frame
TICKER_COLUMNS: dict[str, pl.DataType] = {
    "ticker": pl.String(),
    "cik": pl.Int64(),
    "company_name": pl.String(),
    "source_path": pl.String(),
}


def is_tickers_file(path: str | os.PathLike[str]) -> bool:
    """SEC's ``company_tickers.json`` (or ``company_tickers_exchange.json``), by name."""
    name = Path(path).name.lower()
    return name.startswith("company_tickers") and name.endswith(".json")


def normal_ticker_expr(col: pl.Expr) -> pl.Expr:
    """``brk.b`` → ``BRK-B``: upper case, and class suffixes with a dash as EDGAR writes them."""
    return col.str.strip_chars().str.to_uppercase().str.replace_all(r"[./]", "-")


def normal_ticker(ticker: str) -> str:
    """``normal_ticker_expr`` for one string."""
    return str(pl.select(normal_ticker_expr(pl.lit(ticker, dtype=pl.String))).item())


def read_tickers(path: str | os.PathLike[str]) -> pl.DataFrame:
    """SEC's ticker files: ``company_tickers.json`` (``{"0": {"cik_str", "ticker", "title"}}``)
    or ``company_tickers_exchange.json`` (``{"fields": [...], "data": [[...]]}``). Rows
    without a usable CIK or ticker are dropped; a file with none is ``tickers_layout_unknown``."""
    p = Path(path)
    doc = _load_json(p)
    rows: list[tuple[Any, Any, Any]] = []
    if isinstance(doc, dict) and isinstance(doc.get("fields"), list) and "data" in doc:
        fields = [str(f) for f in doc["fields"]]
        if {"cik", "ticker"} <= set(fields) and isinstance(doc["data"], list):
            at = {f: i for i, f in enumerate(fields)}
            rows = [
                (r[at["ticker"]], r[at["cik"]], r[at["name"]] if "name" in at else None)
                for r in doc["data"]
                if isinstance(r, list) and len(r) == len(fields)
            ]
    elif isinstance(doc, dict):
        rows = [
            (v.get("ticker"), v.get("cik_str"), v.get("title"))
            for v in doc.values()
            if isinstance(v, dict)
        ]
    return _tickers_frame(rows, str(p))


def _tickers_frame(rows: list[tuple[Any, Any, Any]], path: str) -> pl.DataFrame:
    """``(ticker, cik, name)`` triples as a tickers frame: tickers normalised, rows without
    a usable CIK or ticker dropped, the first of a ticker kept; none at all is
    ``tickers_layout_unknown``."""
    frame = pl.DataFrame(
        [tuple(None if v is None else str(v) for v in row) for row in rows],
        schema={"ticker": pl.String, "cik": pl.String, "company_name": pl.String},
        orient="row",
    )
    out = (
        frame.with_columns(
            normal_ticker_expr(pl.col("ticker")).alias("ticker"),
            pl.col("cik").cast(pl.String).str.strip_chars().cast(pl.Int64, strict=False),
            pl.lit(path).alias("source_path"),
        )
        .filter(pl.col("ticker").str.len_chars().is_between(1, 12) & (pl.col("cik") > 0))
        .unique("ticker", keep="first", maintain_order=True)
    )
    if not out.height:
        raise ParseError("tickers_layout_unknown", "no ticker with a CIK in the file", path=path)
    return out.select([pl.col(c).cast(t) for c, t in TICKER_COLUMNS.items()])


def submissions_tickers(doc: dict[str, Any], path: str) -> pl.DataFrame:
    """The tickers a submissions JSON lists for its company (none for most old filers)."""
    listed = doc.get("tickers")
    tickers = [t for t in listed if t] if isinstance(listed, list) else []
    try:
        return _tickers_frame([(t, doc.get("cik"), doc.get("name")) for t in tickers], path)
    except ParseError:  # most old filers list none
        return pl.DataFrame(schema=TICKER_COLUMNS)


def read_submissions_json(path: str | os.PathLike[str]) -> pl.DataFrame:
    """A company's submissions JSON with every older page listed in ``filings.files`` that
    sits beside it. ``filer_category_stated`` is the company's *current* category."""
    return read_submissions(path)[0]


def read_submissions(path: str | os.PathLike[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``read_submissions_json`` and the company's tickers (``TICKER_COLUMNS``), from one
    read of the file."""
    p = Path(path)
    doc = _load_json(p)
    if not isinstance(doc, dict) or "filings" not in doc:
        raise ParseError("submissions_layout_unknown", "no 'filings' object", path=str(p))
    return _submissions_frame(doc, p), submissions_tickers(doc, str(p))


def _submissions_frame(doc: dict[str, Any], p: Path) -> pl.DataFrame:
    blocks = [_columns(doc["filings"].get("recent", {}))]
    for page in doc["filings"].get("files", []):
        page_path = p.parent / page.get("name", "")
        if page_path.is_file():
            blocks.append(_columns(json.loads(page_path.read_text(encoding="utf-8"))))
    raw = (
        pl.concat([b for b in blocks if b.height], how="vertical")
        if any(b.height for b in blocks)
        else None
    )
    if raw is None:
        return _empty()
    frame = raw.select(
        pl.lit(int(doc["cik"])).alias("cik"),
        pl.lit(doc.get("name")).alias("company_name"),
        pl.col("form").alias("form_type"),
        pl.col("filingDate").str.to_date(strict=False).alias("filed_date"),
        pl.col("reportDate").str.to_date(strict=False).alias("period_end"),
        # the trailing "Z" is wrong: these are Eastern times (checked against filingDate:
        # 98% agree read as Eastern, 94-97% as UTC, on the corpus' Apple and Tesla files)
        pl.col("acceptanceDateTime")
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%.fZ", strict=False)
        .dt.replace_time_zone("America/New_York", ambiguous="earliest", non_existent="null")
        .alias("acceptance_datetime"),
        pl.col("accessionNumber").alias("accession_number"),
        pl.lit(doc.get("fiscalYearEnd") or None).alias("fiscal_year_end"),
        pl.lit(doc.get("category") or None).alias("filer_category_stated"),
    ).unique("accession_number", keep="first", maintain_order=True)
    return finish_index(frame, "submissions_json", str(p))


def read_index(path: str | os.PathLike[str]) -> pl.DataFrame:
    """Any one index file: ``.idx`` or submissions ``.json``."""
    if str(path).lower().endswith(".json"):
        return read_submissions_json(path)
    return read_index_file(path)


def read_index_and_tickers(path: str | os.PathLike[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``read_index``, with the tickers a file lists: a submissions JSON names its company's,
    SEC's ``company_tickers.json`` names every listed company's (and no filings)."""
    if is_tickers_file(path):
        return _empty(), read_tickers(path)
    if str(path).lower().endswith(".json"):
        return read_submissions(path)
    return read_index_file(path), pl.DataFrame(schema=TICKER_COLUMNS)


def filings_in_index(
    paths: list[str | os.PathLike[str]] | list[Path],
    *,
    forms: list[str] | tuple[str, ...] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> tuple[pl.DataFrame, list[tuple[str, str]]]:
    """The filings EDGAR index files list with a form in ``forms`` (all when empty; as
    written, case and spaces ignored) filed in range, each accession once (under the first
    CIK listed: a filing of several filers is listed under each, and a full index and a
    daily file may both list it), oldest first; and the files that could not be read (path, why)."""
    wanted = sorted({" ".join(f.split()).upper() for f in forms if f.strip()})
    frames: list[pl.DataFrame] = []
    problems: list[tuple[str, str]] = []
    for path in paths:
        try:
            frames.append(read_index_file(path))
        except (ParseError, SourceError) as exc:
            problems.append((str(path), exc.message))
    rows = pl.concat(frames) if frames else _empty()
    form = pl.col("form_type").str.replace_all(r"\s+", " ").str.to_uppercase()
    keep = pl.lit(True)
    if wanted:
        keep = keep & form.is_in(wanted)
    if since is not None:
        keep = keep & (pl.col("filed_date") >= since)
    if until is not None:
        keep = keep & (pl.col("filed_date") <= until)
    out = (
        rows.filter(keep & pl.col("accession_number").is_not_null())
        .unique("accession_number", keep="first", maintain_order=True)
        .sort("filed_date", "cik", "accession_number")
    )
    return out, problems
