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

from workbench.forms.filing import Filing
from workbench.provenance import Span
from workbench.text.dates import find_date

#: forms whose cover states shares outstanding
COVER_FORMS = frozenset(
    {"10-K", "10-K405", "10-KSB", "10-K/A", "10-KT", "10-Q", "10-QSB", "10-Q/A", "10-QT"}
)
_COVER_END = re.compile(
    r"^\s*PART\s+I\b|^\s*INDEX\b|^\s*TABLE\s+OF\s+CONTENTS", re.IGNORECASE | re.MULTILINE
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


_TABLE_HEAD = re.compile(r"Outstanding\s+(?:at|as\s+of|on)\s+", re.IGNORECASE)
_TABLE_ROW = re.compile(
    r"^(?P<cls>[^\t\n]*(?:stock|shares)[^\t\n]*)\t(?:[^\t\n]*\t)*?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d{5,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def cover_table_shares(text: str, to_src: Callable[[int, int], Span]) -> list[SharesOutstanding]:
    """The cover's class table ("Class | Outstanding at April 30, 2024" then one line per
    class, cells tab-separated as the HTML step writes them)."""
    cover_end = _cover_end(text)
    out: list[SharesOutstanding] = []
    for head in _TABLE_HEAD.finditer(text, 0, cover_end):
        found = find_date(text, head.end(), head.end() + 40)
        if not found:
            continue
        stop = min(cover_end, found[2] + 600)
        for row in _TABLE_ROW.finditer(text, found[2], stop):
            out.append(
                SharesOutstanding(
                    shares_outstanding=int(row.group("n").replace(",", "")),
                    share_class=_class_name(row.group("cls")),
                    as_of_date=found[0],
                    span=to_src(row.start("n"), row.end("n")),
                    date_span=to_src(found[1], found[2]),
                )
            )
        if out:
            break
    return out


def shares_for(filing: Filing) -> list[SharesOutstanding]:
    """Cover-page shares outstanding of a 10-K/10-Q filing (empty for other forms)."""
    if (filing.form_type or "").upper() not in COVER_FORMS:
        return []
    doc = filing.submission.primary_document
    if doc is None or doc.text_format not in ("text", "html"):
        return []
    text, offsets = filing.submission.clean_text(doc)

    def to_src(a: int, b: int) -> Span:
        return Span(*offsets.span_to_source(a, b))

    return cover_shares(text, to_src) or cover_table_shares(text, to_src)
