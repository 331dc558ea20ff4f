"""Small HTML pieces shared by reports, explorers and the notebook displays of objects.

Everything that puts text into HTML goes through ``esc`` here, so a company name or a file
path with ``<`` in it stays text wherever it is shown. Stdlib only, so every layer may use it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any


def esc(value: Any) -> str:
    """``value`` as HTML text (quotes escaped too, so it is safe inside an attribute)."""
    return html.escape(str(value), quote=True)


def fmt(value: Any, kind: str = "") -> str:
    """A figure as a reader wants it: thousands separators, ``$`` and two decimals for
    ``money``, up to four for a ``price``, ``%`` for ``pct``, lists joined; None is a dash."""
    if value is None:
        return "—"
    if kind == "money" and isinstance(value, int | float):
        return f"${value:,.2f}"
    if kind == "price" and isinstance(value, int | float):
        return f"${value:,.4f}".rstrip("0").rstrip(".") if value % 0.01 else f"${value:,.2f}"
    if kind == "pct" and isinstance(value, int | float):
        return f"{value:.2f}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "—"
    return str(value)


def chars(start: int, end: int) -> str:
    """``chars 3,102–3,111``: where in the source file a value was read."""
    return f"chars {start:,}–{end:,}"


def link(url: str | None, text: str) -> str:
    """``text`` (already HTML) as a link opening in a new tab; the text alone without a URL."""
    if not url:
        return text
    return f'<a href="{esc(url)}" target="_blank" rel="noopener">{text}</a>'


def company_cell(name: str | None, cik: int | None) -> str:
    """``Name`` over ``CIK n``: every table row says whose it is."""
    below = f"CIK {cik}" if cik is not None else "no CIK"
    return f"{esc(name or '—')}<br><small>{below}</small>"


def source_cell(
    path: str | None, accession: str | None, url: str | None = None, span: str = ""
) -> str:
    """The accession number (a link to ``url``, the filing on EDGAR) over the local file name
    (full path on hover) and the character span: where a figure can be checked, online and
    offline."""
    if not path and not accession:
        return "—"
    parts = []
    if accession:
        parts.append(link(url, esc(accession)))
    if path:
        name = f'<span title="{esc(path)}">{esc(PurePath(path).name)}</span>'
        parts.append(name + (f", {esc(span)}" if span else ""))
    return "<br>".join(parts)


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], caption: str = "", cls: str = ""
) -> str:
    """An HTML table; ``rows`` hold cells that are already HTML, headers and caption are text."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<table class="wb-table {cls}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def details(summary: str, body: str, is_open: bool = False) -> str:
    """A folded block: ``summary`` (text) shows, ``body`` (HTML) opens on a click, so a long
    list stays in the page (searchable, printable) without burying what comes first."""
    flag = " open" if is_open else ""
    return f'<details class="wb-fold"{flag}><summary>{esc(summary)}</summary>{body}</details>'
