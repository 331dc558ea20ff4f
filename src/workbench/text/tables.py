"""Tables as grids of cells, each cell keeping its source span.

Every reader of a tabular fact (fee tables, cover share-count tables, 12b-25 amounts) reads
a *cell by its column*, never a number by its position in flattened text: the first
version of the fee reader did the latter and read one real Exhibit 107 field in ten.

* ``html_tables`` — ``<table>``/``<tr>``/``<td>``/``<th>`` from the raw HTML. Unclosed
  cells and rows (tag soup) close at the next cell or row; ``colspan``/``rowspan`` place
  each cell on a grid; a cell's text is its content through ``html_to_text`` (``<p>``,
  ``<div>``, ``<br>``, ``<font>`` inside a cell never split it), with an offset map back to
  the raw characters.

* ``text_table`` — a plain-text table (``<TABLE>``/``<S>``/``<C>``, dash or pipe rules,
  columns by alignment) onto the same grid: columns come from the pipes when the lines have
  them, else from where the value lines' cells line up, else from the ``<S>``/``<C>`` marks
  (which filers did not always place over the columns); header lines join per column; a
  wrapped cell's lines join into one row. Each cell keeps the source offset of every
  character, so a reader cannot tell a text table from an HTML one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from workbench.provenance import Span
from workbench.text.dates import DATE_RE
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

    def column_texts(self, rows: range) -> list[str]:
        """Per grid column, the distinct texts of the cells over it in ``rows`` joined top
        to bottom (a header split over rows and colspans, read as one label per column)."""
        per_col: list[list[str]] = [[] for _ in range(self.n_cols)]
        for r in rows:
            for c in self.rows[r]:
                if not c.text:
                    continue
                for col in range(c.col, min(c.last_col + 1, self.n_cols)):
                    if c.text not in per_col[col]:
                        per_col[col].append(c.text)
        return [" ".join(parts) for parts in per_col]

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
        mapped = OffsetMap.from_points(
            [offsets.to_source(i) for i in idx],
            [offsets.span_to_source(i, i + 1)[1] for i in idx],
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


# --- plain-text tables ----------------------------------------------------------------------

_TAG_LINE = re.compile(r"^\s*(?:</?(?:TABLE|CAPTION|S|C|FN|PAGE)>[\s\d]*)+$", re.IGNORECASE)
_MARK = re.compile(r"<[SC]>", re.IGNORECASE)
_RULE_LINE = re.compile(r"^[-=_~\s|+.:*]*[-=_~]{3,}[-=_~\s|+.:*]*$")
#: a text table longer than this is not one table (hostile or mis-cut input): cut here
_MAX_LINES = 400
_MAX_LINE = 2000
_GAP = " \t|\r\f\v"


@dataclass(slots=True)
class _Chunk:
    """Words of one line set off by two or more spaces (or a tab or a pipe)."""

    a: int  # first visual column
    b: int  # visual column after the last character
    text: str
    chars: list[int]  # text position of each character of ``text``


def _chunks(text: str, la: int, lb: int) -> list[_Chunk]:
    """A line's chunks, with visual columns (tabs expanded to 8). A lone "$" joins the
    value after it: "$  775.76" is one cell; an inline ``<S>``/``<C>`` tag is a gap."""
    out: list[_Chunk] = []
    cur: _Chunk | None = None
    col = gap = 0
    marks = {m.start() + k for m in _MARK.finditer(text, la, lb) for k in range(3)}
    for i in range(la, min(lb, la + _MAX_LINE)):
        ch = text[i]
        if i in marks:  # an inline <S>/<C> tag opens a cell
            gap, col = gap + 2, col + 1
            continue
        if ch in _GAP or ch == " ":
            width = 8 - col % 8 if ch == "\t" else 1
            gap += 2 if ch in "\t|" else 1
            col += width
            continue
        if cur is not None and gap >= 2:
            out.append(cur)
            cur = None
        if cur is None:
            cur = _Chunk(col, col + 1, ch, [i])
        else:
            if gap:
                cur.text += " "
                cur.chars.append(i - 1)
            cur.text += ch
            cur.chars.append(i)
            cur.b = col + 1
        gap = 0
        col += 1
    if cur is not None:
        out.append(cur)
    glued: list[_Chunk] = []
    for c in out:
        if glued and glued[-1].text in ("$", "US$"):
            d = glued[-1]
            glued[-1] = _Chunk(d.a, c.b, f"{d.text} {c.text}", [*d.chars, d.chars[-1], *c.chars])
        else:
            glued.append(c)
    return glued


_NOTE = re.compile(r"\(\s*\d{1,2}\s*\)")


def _has_value(chunks: list[_Chunk]) -> bool:
    """Whether a line states a value: a chunk after the first with a digit that is not a
    footnote marker or part of a date ("per share (1)", "Outstanding at April 30, 1997"
    are headers)."""
    return any(
        any(ch.isdigit() for ch in DATE_RE.sub(" ", _NOTE.sub(" ", c.text))) for c in chunks[1:]
    )


def _visual(text: str, la: int, pos: int) -> int:
    return len(text[la:pos].expandtabs(8))


def _col_of(chunk: _Chunk, cols: list[tuple[int, int]]) -> int:
    """The column the chunk overlaps most, else the nearest (the left one on a tie): a
    header centred over a column of right-aligned numbers still finds it."""
    best, best_k = -(1 << 30), 0
    for k, (lo, hi) in enumerate(cols):
        overlap = min(chunk.b, hi) - max(chunk.a, lo)  # negative: the distance between them
        if overlap > best:
            best, best_k = overlap, k
    return best_k


def _fits(cols: list[tuple[int, int]], lines: list[list[_Chunk]]) -> bool:
    """Every line's chunks fall in distinct columns, left to right (and there are between 2
    and ``MAX_SPAN`` columns: more is not a table a filer wrote)."""
    if not 2 <= len(cols) <= MAX_SPAN:
        return False
    for chunks in lines:
        ks = [_col_of(c, cols) for c in chunks]
        if any(b <= a for a, b in itertools.pairwise(ks)):
            return False
    return True


def _clusters(lines: list[list[_Chunk]]) -> list[tuple[int, int]]:
    """Columns where the value lines' chunks line up (overlapping chunks of different lines
    are one column), each as the extent of its values."""
    spans = sorted((c.a, c.b) for chunks in lines if len(chunks) > 1 for c in chunks)
    cols: list[tuple[int, int]] = []
    for a, b in spans:
        if cols and a < cols[-1][1]:
            cols[-1] = (cols[-1][0], max(cols[-1][1], b))
        else:
            cols.append((a, b))
    return cols


def _ruled(starts: list[int]) -> list[tuple[int, int]]:
    """Columns between rules (pipes) or marks: each runs to the next one's start."""
    return [(a, starts[k + 1] if k + 1 < len(starts) else 1 << 30) for k, a in enumerate(starts)]


def _pipes(text: str, content: list[tuple[int, int]]) -> list[int]:
    """Column starts after the pipes most content lines share (column rules)."""
    counts: dict[int, int] = {}
    with_pipes = 0
    for la, lb in content:
        line = text[la : min(lb, la + _MAX_LINE)].expandtabs(8)
        cols = {i for i, ch in enumerate(line) if ch == "|"}
        with_pipes += bool(cols)
        for c in cols:
            counts[c] = counts.get(c, 0) + 1
    if with_pipes < 2:
        return []
    kept = sorted(c for c, n in counts.items() if n >= max(2, with_pipes / 2))
    return [0, *(c + 1 for c in kept)] if kept else []


_Line = tuple[str, int, int]  # kind ('blank', 'tags', 'marks', 'rule', 'content'), start, end


def _text_lines(text: str, start: int, end: int) -> tuple[list[_Line], list[int]]:
    """The region's lines by kind, and the visual columns of the first ``<S>``/``<C>`` line."""
    lines: list[_Line] = []
    marks: list[int] = []
    pos = start
    while pos < end and len(lines) < _MAX_LINES:
        nl = text.find("\n", pos, end)
        lb = end if nl < 0 else nl
        line = text[pos:lb]
        if not line.strip():
            kind = "blank"
        elif _TAG_LINE.match(line):
            kind = "tags"
            found = [_visual(text, pos, pos + m.start()) for m in _MARK.finditer(line)]
            if found:
                kind = "marks"
                marks = marks or found
        elif _RULE_LINE.match(line):
            kind = "rule"
        else:
            kind = "content"
        lines.append((kind, pos, lb))
        pos = lb + 1
    return lines, marks


def _split(lines: list[_Line], chunked: dict[int, list[_Chunk]]) -> tuple[list[int], list[_Line]]:
    """Header line starts and body lines: the header ends at the first rule or ``<S>`` line
    after some text, else at the first line that states a value."""
    split = next(
        (
            i
            for i, (k, _, _) in enumerate(lines)
            if k in ("rule", "marks") and any(x[0] == "content" for x in lines[:i])
        ),
        None,
    )
    if split is not None:
        head_end, body_start = split, split + 1
    else:
        head_end = body_start = next(
            (i for i, (k, a, _) in enumerate(lines) if k == "content" and _has_value(chunked[a])),
            len(lines),
        )
    return [a for k, a, _ in lines[:head_end] if k == "content"], lines[body_start:]


def _logical_rows(
    body: list[_Line], chunked: dict[int, list[_Chunk]], cols: list[tuple[int, int]]
) -> list[list[int]]:
    """Body lines grouped into rows: blank lines and rules end a block; in a block, each
    value line after the first starts a row and the other lines join the row they are in."""
    blocks: list[list[int]] = [[]]
    for k, a, _ in body:
        if k == "content":
            blocks[-1].append(a)
        elif blocks[-1]:
            blocks.append([])
    rows: list[list[int]] = []
    for blk in filter(None, blocks):
        current: list[int] = []
        seen_value = False
        for a in blk:
            is_value = any(_col_of(c, cols) > 0 for c in chunked[a])
            if is_value and seen_value:
                rows.append(current)
                current = []
            current.append(a)
            seen_value = seen_value or is_value
        rows.append(current)
    return rows


def _text_cells(
    chunks: list[_Chunk],
    cols: list[tuple[int, int]],
    r: int,
    header: bool,
    to_src: Callable[[int], int],
) -> tuple[Cell, ...]:
    """One row's cells: its chunks joined per column, every character mapped to the source."""
    per_col: dict[int, list[_Chunk]] = {}
    for c in chunks:
        per_col.setdefault(_col_of(c, cols), []).append(c)
    out = []
    for col in sorted(per_col):
        parts = per_col[col]
        chars: list[int] = []
        for i, c in enumerate(parts):
            if i:
                chars.append(chars[-1])  # the joining space maps to the character before
            chars.extend(c.chars)
        src = tuple(to_src(p) for p in chars)
        text = " ".join(c.text for c in parts)
        out.append(Cell(text, r, col, 1, 1, header, src[0], src[-1] + 1, None, src))
    return tuple(out)


def text_table(text: str, start: int, end: int, offsets: OffsetMap | None = None) -> Table | None:
    """The plain-text table in ``text[start:end]`` as a grid: one header row (the lines
    before the first rule or ``<S>`` line that follows them) and one row per logical row.

    A logical row is a value line with the lines of its wrapped cells: lines before the
    first value line of a block (blank lines and rules end a block) and lines after a value
    line belong to it. ``None`` when no column layout fits every line.
    """
    to_src: Callable[[int], int] = offsets.to_source if offsets is not None else (lambda i: i)
    lines, marks = _text_lines(text, start, end)
    chunked = {a: _chunks(text, a, b) for k, a, b in lines if k == "content"}
    head, body = _split(lines, chunked)
    values = [chunked[a] for k, a, _ in body if k == "content" and len(chunked[a]) > 1]
    pipes = _pipes(text, [(a, b) for k, a, b in lines if k == "content"])
    candidates = (_ruled(pipes), _clusters(values), _ruled([0, *sorted(marks)[1:]]))
    cols = next((c for c in candidates if _fits(c, values)), None)
    if cols is None:
        return None
    rows: list[tuple[Cell, ...]] = []
    if head:
        rows.append(_text_cells([c for a in head for c in chunked[a]], cols, 0, True, to_src))
    for group in _logical_rows(body, chunked, cols):
        chunks = [c for a in group for c in chunked[a]]
        rows.append(_text_cells(chunks, cols, len(rows), False, to_src))
    return Table(tuple(rows), len(cols), to_src(start), to_src(max(start, end - 1)) + 1)
