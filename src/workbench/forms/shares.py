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
    primary_when,
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
_OWNER = r"(?:the\s+)?(?:registrant'?s\s+|issuer'?s\s+|company'?s\s+|its\s+|our\s+)?"
#: a count before its noun: "12,345,678 shares of common stock", "1,234,567 ordinary shares",
#: "61,234,567 of the registrant's ordinary shares"
_COUNT = re.compile(
    r"(?<![\d,.$])(?P<n>\d{1,3}(?:,\d{3})+|\d{5,})\s+"
    r"(?:(?:shares|ordinary\s+shares)\b"
    rf"(?:\s+of\s+{_OWNER}(?P<cls>[^.;\d]{{0,90}}?(?:stock|shares)))?"
    rf"|of\s+{_OWNER}(?P<cls2>[^.;\d]{{0,60}}?(?:stock|shares))\b)",
    re.IGNORECASE,
)
#: a count after its label: "Number of shares of $.001 par value Class A Common Stock
#: outstanding as of March 20, 2024: 305,873,200", "The number of shares outstanding of the
#: registrant's common stock as of May 1, 2015 was 12,345,678" (a rounded "2.5 billion" is
#: not a count)
_LABEL = (
    r"\bnumber\s+of\s+(?P<cls>(?:[^.;:]|\.(?=\d)){0,120}?)\boutstanding\b"
    r"(?P<rest>(?:[^.;:]|\.(?=\d)){0,100}?)(?::|\bwas\b|\bwere\b|\bis\b)\s*"
)
_LABELLED_COUNT = re.compile(
    _LABEL + r"(?P<n>\d{1,3}(?:,\d{3})+|\d{5,})(?![\d,]|\.\d|\s*(?:thousand|million|billion)\b)",
    re.IGNORECASE,
)
#: words right after a count that make it not the outstanding count: shares held in
#: treasury (a real 10-K's "(excluding 5,000 shares held in treasury)" was added as a second
#: class), or shares issued but not said to be outstanding
_NOT_OUTSTANDING_AFTER = re.compile(
    r"[\s,]*(?:(?:which\s+)?(?:are|were|being)\s+)?(?:held\s+)?(?:in|as)\s+(?:the\s+)?treasury\b"
    r"|[\s,]*(?:(?:are|were)\s+)?issued\b(?!\s+and\s+outstanding)",
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


#: the cover is never longer than this. Every count on the corpus's 21 10-K/10-Q covers sits
#: in the first 5,200 characters; a 10-Q whose "PART I" came 90,575 characters in had its
#: whole body searched (3.8x the time of the bounded search)
COVER_MAX = 15_000


def _cover_end(text: str) -> int:
    """Where the cover stops: Part I (or an index), and at most ``COVER_MAX`` characters in."""
    end_m = _COVER_END.search(text, 1500, COVER_MAX)
    return end_m.start() if end_m else min(len(text), COVER_MAX)


def _stated(
    text: str,
    to_src: Callable[[int, int], Span],
    start: int,
    end: int,
    cls: str | None,
    sentence: tuple[int, int],
) -> SharesOutstanding:
    s, e = sentence
    found = find_date(text, end, e) or find_date(text, s, start)
    return SharesOutstanding(
        shares_outstanding=int(text[start:end].replace(",", "")),
        share_class=_class_name(cls),
        as_of_date=found[0] if found else None,
        span=to_src(start, end),
        date_span=to_src(found[1], found[2]) if found else None,
    )


def cover_shares(text: str, to_src: Callable[[int, int], Span]) -> list[SharesOutstanding]:
    """Every class's count from the cover sentences of ``text`` (clean text): a count before
    its noun in a sentence that says "outstanding", or a count after a "number of ...
    outstanding" label. Treasury and issued-only counts are not outstanding ones."""
    cover_end = _cover_end(text)
    out: dict[int, SharesOutstanding] = {}  # by the count's offset: each figure once
    for m in _COUNT.finditer(text, 0, cover_end):
        s, e = _sentence_bounds(text, m.start(), m.end())
        sentence = text[s:e]
        if not _OUTSTANDING.search(sentence) or _SKIP.search(sentence):
            continue
        cls = m.group("cls") or m.group("cls2")
        if _NOT_OUTSTANDING_AFTER.match(text, m.end()) or "treasury" in (cls or "").lower():
            continue
        out[m.start("n")] = _stated(text, to_src, m.start("n"), m.end("n"), cls, (s, e))
    for m in _LABELLED_COUNT.finditer(text, 0, cover_end):
        if m.start("n") in out or _SKIP.search(m.group(0)):
            continue
        bounds = _sentence_bounds(text, m.start(), m.end())
        cls = f"{m.group('cls')} {m.group('rest')}"
        out[m.start("n")] = _stated(text, to_src, m.start("n"), m.end("n"), cls, bounds)
    return [out[k] for k in sorted(out)]


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


def _cover_document(filing: Filing) -> Document | None:
    """The document whose first page is a 10-K/10-Q cover, or None (another form, or no
    readable primary document)."""
    if (filing.form_type or "").upper() not in SHARES_COVER_FORMS:
        return None
    doc = filing.submission.primary_document
    if doc is None or doc.text_format not in ("text", "html"):
        return None
    return doc


def shares_for(filing: Filing) -> list[SharesOutstanding]:
    """Cover-page shares outstanding of a 10-K/10-Q filing (empty for other forms)."""
    if (doc := _cover_document(filing)) is None:
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


#: a cover count given rounded ("was 2.5 billion"): said, not recorded as a count
_ROUNDED_COUNT = re.compile(
    _LABEL + r"(?:approximately\s+)?(?P<n>\d+(?:\.\d+)?\s*(?:thousand|million|billion))\b",
    re.IGNORECASE,
)


def rounded_cover_count(filing: Filing) -> str | None:
    """A 10-K/10-Q cover's count when it is only stated rounded ("2.5 billion"), else None."""
    if (cover := _cover_document(filing)) is None:
        return None
    text, _ = filing.submission.clean_text(cover)
    m = _ROUNDED_COUNT.search(text, 0, _cover_end(text))
    return re.sub(r"\s+", " ", m.group("n")) if m else None


def _extract(ctx: Context) -> Extracted:
    out = Extracted()
    f = ctx.filing
    found = shares_for(f)
    for stated in found:
        spans = {"shares_outstanding": stated.span}
        if stated.date_span:
            spans["as_of_date"] = stated.date_span
        out.add_found(f, SHARES_OUTSTANDING, stated, spans, source="cover_text", n_facts=None)
    if not found and (rounded := rounded_cover_count(f)) is not None:
        out.warnings.append((
            "shares_rounded",
            f"the cover gives shares outstanding only as '{rounded}'; not recorded as a count "
            "(the filing's XBRL dei fact or companyfacts JSON has the figure)",
        ))  # fmt: skip
    return out


FAMILY = Family(
    "shares_outstanding",
    "Shares outstanding stated on a 10-K/10-Q cover.",
    (SHARES_OUTSTANDING,),
    COLUMNS,
    _extract,
    reads=primary_when(lambda form: form.strip().upper() in SHARES_COVER_FORMS),
)
