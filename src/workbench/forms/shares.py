"""Shares outstanding as the cover page of a 10-K or 10-Q states them.

The cover ends with a sentence such as "119,891,418 shares of Common Stock Issued and
Outstanding as of December 2, 1994", "As of April 30, 2024, there were 15,550,061,000 shares
of common stock outstanding" or, for several classes, "As of May 1, 2024, 10,000 shares of
Class A common stock and 5,000 shares of Class B common stock were outstanding". Only the
cover is read (up to Part I), so balance-sheet lines ("320,000,000 shares authorized; ...
issued and outstanding") never count, and sentences about authorised shares or the market
value held by non-affiliates are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from workbench.form_types import SHARES_COVER_FORMS
from workbench.forms.family import (
    Column,
    Context,
    Extracted,
    Family,
    TableSpec,
)
from workbench.forms.filing import Filing
from workbench.provenance import Span
from workbench.sgml.submission import Document
from workbench.text.dates import find_date
from workbench.text.html_to_text import OffsetMap
from workbench.text.tables import Table, html_tables, text_table
from workbench.vocab import SHARES_SOURCES

_COVER_END = re.compile(
    r"^[ \t]*+(?:PART\s+I\b|INDEX\b|TABLE\s+OF\s+CONTENTS)", re.IGNORECASE | re.MULTILINE
)
_COUNT = re.compile(
    r"(?<![\d,.$])(?P<n>\d{1,3}(?:,\d{3})+|\d{5,})\s+(?:shares|ordinary\s+shares)\b"
    r"(?:\s+of\s+(?:the\s+)?(?:registrant'?s\s+|issuer'?s\s+|its\s+|our\s+)?(?P<cls>[^.;\d]{0,90}?(?:stock|shares)))?",
    re.IGNORECASE,
)
_OUTSTANDING = re.compile(r"\boutstanding\b", re.IGNORECASE)
_SKIP = re.compile(r"authori[sz]ed|non-?affiliates|aggregate\s+market\s+value", re.IGNORECASE)
_CLASS = re.compile(r"\bClass\s+([A-Z])\b|\bSeries\s+([A-Z])\b")


@dataclass(frozen=True, slots=True, kw_only=True)
class SharesOutstanding:
    """One cover-page statement of shares outstanding for one class."""

    shares_outstanding: int
    share_class: str
    as_of_date: dt.date | None
    span: Span
    date_span: Span | None


def _class_name(raw: str | None) -> str:
    if not raw:
        return "common"
    m = _CLASS.search(raw)
    if m:
        return f"Class {m.group(1) or m.group(2)}"
    return (
        "common"
        if re.search(r"common|ordinary", raw, re.IGNORECASE)
        else re.sub(r"\s+", " ", raw).strip()
    )


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence around ``[start, end)``: back to the last ". " or blank line, forward to
    the next one (a cover line often has no full stop)."""
    back = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start))
    fwd = [i for i in (text.find(". ", end), text.find("\n\n", end)) if i >= 0]
    return back + 1 if back >= 0 else 0, min(fwd) if fwd else len(text)


def _cover_end(text: str) -> int:
    """Where the cover stops: Part I (or an index), else 15,000 characters in."""
    end_m = _COVER_END.search(text, 1500)
    return end_m.start() if end_m else min(len(text), 15000)


def cover_shares(text: str, to_src: Callable[[int, int], Span]) -> list[SharesOutstanding]:
    """Every class's count from the cover sentences of ``text`` (clean text)."""
    cover_end = _cover_end(text)
    out: list[SharesOutstanding] = []
    for m in _COUNT.finditer(text, 0, cover_end):
        s, e = _sentence_bounds(text, m.start(), m.end())
        sentence = text[s:e]
        if not _OUTSTANDING.search(sentence) or _SKIP.search(sentence):
            continue
        found = find_date(text, m.end(), e) or find_date(text, s, m.start())
        out.append(
            SharesOutstanding(
                shares_outstanding=int(m.group("n").replace(",", "")),
                share_class=_class_name(m.group("cls")),
                as_of_date=found[0] if found else None,
                span=to_src(m.start("n"), m.end("n")),
                date_span=to_src(found[1], found[2]) if found else None,
            )
        )
    return out


_TABLE_HEAD = re.compile(r"Outstanding\s+(?:at|as\s+of|on)\b", re.IGNORECASE)
_CELL_COUNT = re.compile(r"(?<![\d,.$])(\d{1,3}(?:,\d{3})+|\d{5,})(?![\d,]|\.\d)")
_CLASS_CELL = re.compile(r"stock|shares|units", re.IGNORECASE)


def _grid_shares(table: Table) -> list[SharesOutstanding]:
    """A class table read by its columns: the header cell "Outstanding at <date>" (the date
    in it or in the cell below) names the column of counts; each later row's class is its
    cell that names a stock, its count the cell in that column."""
    for r, row in enumerate(table.rows[:6]):
        for head in row:
            m = _TABLE_HEAD.search(head.text)
            if m is None:
                continue
            date_cell, found = head, find_date(head.text, m.end())
            below = table.cell_at(r + 1, head.col) if r + 1 < len(table.rows) else None
            if found is None and below is not None:
                date_cell, found = below, find_date(below.text)
            if found is None:
                continue
            first = r + 1 if date_cell is head else r + 2
            out = []
            for cells in table.rows[first:]:
                cls = next(
                    (c for c in cells if c.col < head.col and _CLASS_CELL.search(c.text)), None
                )
                counts = [
                    (c, n)
                    for c in cells
                    if c.col <= head.last_col and c.last_col >= head.col
                    for n in [_CELL_COUNT.search(c.text)]
                    if n is not None
                ]
                if cls is None or len(counts) != 1:
                    continue
                cell, n = counts[0]
                out.append(
                    SharesOutstanding(
                        shares_outstanding=int(n.group(1).replace(",", "")),
                        share_class=_class_name(cls.text),
                        as_of_date=found[0],
                        span=cell.span(n.start(1), n.end(1)),
                        date_span=date_cell.span(found[1], found[2]),
                    )
                )
            if out:
                return out
    return []


def cover_table_shares(
    filing: Filing, doc: Document, text: str, offsets: OffsetMap
) -> list[SharesOutstanding]:
    """The cover's class table ("Class | Outstanding at April 30, 2024", then one row per
    class) of ``doc`` (its clean text and offsets given), read as a grid: an HTML table
    from the raw file, a text table from the text."""
    sub = filing.submission
    cover_end = _cover_end(text)
    if _TABLE_HEAD.search(text, 0, cover_end) is None:
        return []
    if doc.text_format == "html":
        end = offsets.to_source(cover_end)
        for table in html_tables(sub.text, doc.text_span.start, end):
            found = _grid_shares(table)
            if found:
                return found
        return []
    for head in _TABLE_HEAD.finditer(text, 0, cover_end):
        line_start = text.rfind("\n", 0, head.start()) + 1
        grid = text_table(text, line_start, min(cover_end, line_start + 2000), offsets)
        found = _grid_shares(grid) if grid is not None else []
        if found:
            return found
    return []


def shares_for(filing: Filing) -> list[SharesOutstanding]:
    """Cover-page shares outstanding of a 10-K/10-Q filing (empty for other forms)."""
    if (filing.form_type or "").upper() not in SHARES_COVER_FORMS:
        return []
    doc = filing.submission.primary_document
    if doc is None or doc.text_format not in ("text", "html"):
        return []
    text, offsets = filing.submission.clean_text(doc)

    def to_src(a: int, b: int) -> Span:
        return Span(*offsets.span_to_source(a, b))

    return cover_shares(text, to_src) or cover_table_shares(filing, doc, text, offsets)


# --- the family: its table, its columns, its extractor ----------------------------------------

SHARES_OUTSTANDING = TableSpec(
    "shares_outstanding",
    (
        "cik", "company_name", "as_of_date", "shares_outstanding", "share_class",
        "source", "source_path", "accession_number", "filed_date", "n_facts", "spans",
    ),
    (),
    "One row per stated count of shares outstanding (cover page or XBRL dei fact).",
)  # fmt: skip

COLUMNS = (
    Column("as_of_date", dt.date, "Date the share count is stated as of."),
    Column("shares_outstanding", int, "Shares outstanding on as_of_date.", unit="shares"),
    Column(
        "share_class",
        str,
        "'common', 'Class A' ...; 'all classes' when XBRL facts of several classes were summed.",
    ),
    Column(
        "source",
        SHARES_SOURCES,
        "cover_text: the 10-K/10-Q cover sentence; xbrl_dei: "
        "dei:EntityCommonStockSharesOutstanding.",
    ),
    Column("n_facts", int, "XBRL facts summed into the row (one per class)."),
)


def _extract(ctx: Context) -> Extracted:
    out = Extracted()
    f = ctx.filing
    for stated in shares_for(f):
        spans = {"shares_outstanding": stated.span}
        if stated.date_span:
            spans["as_of_date"] = stated.date_span
        out.add_found(f, SHARES_OUTSTANDING, stated, spans, source="cover_text", n_facts=None)
    return out


FAMILY = Family(
    "shares_outstanding",
    "Shares outstanding stated on a 10-K/10-Q cover.",
    (SHARES_OUTSTANDING,),
    COLUMNS,
    _extract,
)
