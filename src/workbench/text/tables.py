"""Tables as grids of cells, each cell keeping its source span.

Every reader of a tabular fact (fee tables, cover share-count tables, 12b-25 amounts) reads
a *cell by its column*, never a number by its position in flattened text: the first
version of the fee reader did the latter and read one real Exhibit 107 field in ten.

* ``html_tables`` — ``<table>``/``<tr>``/``<td>``/``<th>`` from the raw HTML. Unclosed
  cells and rows (tag soup) close at the next cell or row; ``colspan``/``rowspan`` place
  each cell on a grid; a cell's text is its content through ``html_to_text`` (``<p>``,
  ``<div>``, ``<br>``, ``<font>`` inside a cell never split it), with an offset map back to
  the raw characters.

Plain-text tables (``<TABLE>``/``<S>``/``<C>``) are not on this grid yet: the text-era fee
table is read by ``workbench.forms.fee_text`` and checked by the same arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from workbench.provenance import Span
from workbench.text.html_to_text import OffsetMap, html_to_text

#: No real cell holds more; a longer run is hostile input and is cut (its span stays true).
_MAX_ATTRS = 4000
_TABLE_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)|<(/?)(table|tr|td|th)\b([^>]{0," + str(_MAX_ATTRS) + r"})>",
    re.IGNORECASE | re.DOTALL,
)
_SPAN_ATTR = re.compile(r"\b(colspan|rowspan)\s*=\s*[\"']?\s*(\d{1,4})", re.IGNORECASE)
#: colspan/rowspan above this are clamped: real tables never need more, hostile ones might
MAX_SPAN = 64


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text (whitespace collapsed), where it sits, where it came from."""

    text: str
    row: int
    col: int
    colspan: int = 1
    rowspan: int = 1
    is_header: bool = False
    #: source span of the cell's content (inside the tags)
    start: int = 0
    end: int = 0
    #: maps a position in ``text`` to the source (None: ``text`` is verbatim from ``start``)
    offsets: OffsetMap | None = field(default=None, repr=False, compare=False)
    #: cells joined from several source cells: source offset of each character of ``text``
    char_src: tuple[int, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def last_col(self) -> int:
        """The last grid column the cell covers."""
        return self.col + self.colspan - 1

    def span(self, a: int = 0, b: int | None = None) -> Span:
        """Source span of ``text[a:b]`` (the whole cell by default)."""
        b = len(self.text) if b is None else b
        if not self.text:
            return Span(self.start, self.end)
        if self.char_src is not None:
            b = max(b, a + 1)
            return Span(self.char_src[a], self.char_src[min(b, len(self.char_src)) - 1] + 1)
        if self.offsets is None:
            return Span(self.start + a, self.start + b)
        return Span(*self.offsets.span_to_source(a, b))


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells on a grid of ``n_cols`` columns; ``start``/``end`` in the source."""

    rows: tuple[tuple[Cell, ...], ...]
    n_cols: int
    start: int
    end: int

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering grid position (row, col), rowspans and colspans included."""
        for r in range(row, max(row - MAX_SPAN, -1), -1):
            for c in self.rows[r]:
                if c.col <= col <= c.last_col and c.row + c.rowspan - 1 >= row:
                    return c
        return None


def _collapse(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs made one space and ends stripped, plus for each kept
    character its index in ``text``."""
    out: list[str] = []
    idx: list[int] = []
    space = True
    for i, ch in enumerate(text):
        if ch in " \t\n\r\f\v":
            if not space:
                out.append(" ")
                idx.append(i)
                space = True
            continue
        out.append(ch)
        idx.append(i)
        space = False
    if out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), idx


class _Cells:
    """Placed cells of one table under construction."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.rows: list[list[Cell]] = []
        self.taken: dict[tuple[int, int], bool] = {}
        self.row_open = False
        self.cell: tuple[int, bool, int, int] | None = None  # content start, th, colspan, rowspan

    def new_row(self) -> None:
        self.rows.append([])
        self.row_open = True

    def open_cell(self, content_start: int, is_header: bool, attrs: str) -> None:
        if not self.row_open:
            self.new_row()
        spans = {k.lower(): int(v) for k, v in _SPAN_ATTR.findall(attrs)}
        colspan = min(max(spans.get("colspan", 1), 1), MAX_SPAN)
        rowspan = min(max(spans.get("rowspan", 1), 1), MAX_SPAN)
        self.cell = (content_start, is_header, colspan, rowspan)

    def close_cell(self, source: str, content_end: int) -> None:
        if self.cell is None:
            return
        a, is_header, colspan, rowspan = self.cell
        self.cell = None
        raw, offsets = html_to_text(source[a:content_end], base=a)
        text, idx = _collapse(raw)
        # re-map collapsed positions through the cell's own offset map
        mapped = OffsetMap(
            out_starts=tuple(range(len(idx))),
            src_starts=tuple(offsets.to_source(i) for i in idx),
            src_ends=tuple(offsets.span_to_source(i, i + 1)[1] for i in idx),
            linear=tuple(False for _ in idx),
            base=0,
        )
        r = len(self.rows) - 1
        col = 0
        while self.taken.get((r, col)):
            col += 1
        for dr in range(rowspan):
            for dc in range(colspan):
                self.taken[(r + dr, col + dc)] = True
        self.rows[r].append(
            Cell(text, r, col, colspan, rowspan, is_header, a, content_end, mapped if idx else None)
        )

    def build(self, end: int) -> Table:
        rows = tuple(tuple(r) for r in self.rows)
        n_cols = max((c.last_col + 1 for r in rows for c in r), default=0)
        return Table(rows, n_cols, self.start, end)


def _on_tag(stack: list[_Cells], source: str, m: re.Match[str]) -> Table | None:
    """Apply one table/tr/td/th tag; returns a table when its ``</table>`` closes it."""
    closing, name = bool(m.group(1)), m.group(2).lower()
    if name == "table":
        if not closing:
            stack.append(_Cells(m.start()))  # nested: the outer cell runs over it
            return None
        if not stack:
            return None
        t = stack.pop()
        t.close_cell(source, m.start())
        return t.build(m.end())
    if not stack:
        return None
    t = stack[-1]
    t.close_cell(source, m.start())  # any row or cell tag ends the open cell
    if name == "tr":
        t.row_open = not closing
        if not closing:
            t.new_row()
    elif not closing:
        t.open_cell(m.end(), name == "th", m.group(3) or "")
    return None


def html_tables(source: str, start: int = 0, end: int | None = None) -> Iterator[Table]:
    """Every ``<table>`` in ``source[start:end]`` in document order; an inner table comes
    after its outer one (a nested table's text also stays in its outer cell)."""
    end = len(source) if end is None else end
    stack: list[_Cells] = []
    done: list[Table] = []
    for m in _TABLE_TAG.finditer(source, start, end):
        if m.group(2) is None:  # a comment
            continue
        table = _on_tag(stack, source, m)
        if table is not None:
            done.append(table)
            if not stack:
                yield from sorted(done, key=lambda x: x.start)
                done.clear()
    while stack:  # unclosed tables run to the end of the range
        t = stack.pop()
        t.close_cell(source, end)
        done.append(t.build(end))
    yield from sorted(done, key=lambda x: x.start)
