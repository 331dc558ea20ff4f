"""HTML → plain text that extractors can run regexes over, with a map back to the source.

Written as a small regex tokenizer rather than on selectolax/lxml because those parsers
do not report character positions, and every extracted value must point back into the
filing. EDGAR HTML is tag soup (unclosed ``<P>``, upper-case tags, ``<FONT>`` everywhere),
which a tokenizer that never builds a tree handles without complaint.
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment (unterminated runs to the end)
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^<>]*+>"  # doctype, processing instruction
    # a tag; no raw "<" inside it (XHTML and inline XBRL forbid it in attribute values), so
    # an unclosed "<td" fails at the next "<" and hostile input stays linear; possessive
    # quantifiers keep no backtracking state (a long unquoted attribute cost memory per char)
    r"|</?([A-Za-z][A-Za-z0-9:._-]*)(?:[^<>\"']++|\"[^\"<]*+\"|'[^'<]*+')*+>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?",  # entity
    re.DOTALL,
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "tr",
        "table",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "title",
        "center",
        "hr",
        "pre",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "dl",
        "dt",
        "dd",
        "caption",
        "tbody",
        "thead",
        "tfoot",
        "page",
        "body",
        "html",
    ]
)
_CELL_TAGS = frozenset({"td", "th"})
#: Elements whose content is never reader text.
_SKIP_CONTENT = frozenset({"script", "style", "head", "ix:header", "xbrl", "noscript"})
#: Spaces of every width EDGAR agents use; all become an ordinary space.
_SPACE_CHARS = "\u00a0\u2002\u2003\u2009\u200a\u202f\u2007\u2008\u2004\u2005\u2006\u205f\u3000"
_DROP_CHARS = "\u200b\u200c\u200d\ufeff\u00ad"
_WS_RUN = re.compile(r"[ \t\r\n\f\v" + _SPACE_CHARS + r"]{2,}|[\t\r\n\f\v" + _SPACE_CHARS + r"]")
_DROP = re.compile("[" + _DROP_CHARS + "]")

CELL_SEP = "\t"


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps a position in converted text to a position in the source.

    Each segment starts at ``out_starts[i]`` in the output and ``src_starts[i]`` in the
    source; ``linear[i]`` says whether the characters correspond one to one (verbatim
    text) or all map to the segment's first source character (entities, inserted breaks).
    Offsets are kept in typed arrays (8 bytes each, not a 36-byte Python int), so a dense
    table costs a small multiple of its size.
    """

    out_starts: Sequence[int]
    src_starts: Sequence[int]
    src_ends: Sequence[int]
    linear: Sequence[bool] | Sequence[int]
    base: int = 0

    @classmethod
    def from_points(cls, src: Sequence[int], ends: Sequence[int], base: int = 0) -> OffsetMap:
        """The map of a text whose character ``i`` came from ``src[i]`` (ending at
        ``ends[i]``): runs of verbatim characters become one linear segment each."""
        out_starts, src_starts, src_ends, linear = array("q"), array("q"), array("q"), bytearray()
        for i, (a, b) in enumerate(zip(src, ends, strict=True)):
            verbatim = b == a + 1
            if (
                verbatim and linear and linear[-1]
                and src_starts[-1] + (i - out_starts[-1]) == a
            ):  # fmt: skip
                src_ends[-1] = b
                continue
            out_starts.append(i)
            src_starts.append(a)
            src_ends.append(b)
            linear.append(verbatim)
        return cls(out_starts, src_starts, src_ends, linear, base)

    def to_source(self, pos: int) -> int:
        """Source offset of output character ``pos`` (plus ``base``, the text's start in the file)."""
        if not self.out_starts:
            return self.base
        i = max(bisect_right(self.out_starts, pos) - 1, 0)
        src = self.src_starts[i] + (pos - self.out_starts[i] if self.linear[i] else 0)
        return src + self.base

    def to_text(self, src: int, lo: int, hi: int) -> int:
        """The first output position in ``[lo, hi]`` whose source offset is ``src`` or
        later (the inverse of ``to_source``, which never decreases)."""
        while lo < hi:
            mid = (lo + hi) // 2
            if self.to_source(mid) < src:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source range covering output range ``[start, end)``."""
        if end <= start or not self.out_starts:
            s = self.to_source(start)
            return s, s
        i = max(bisect_right(self.out_starts, end - 1) - 1, 0)
        if self.linear[i]:
            last = self.src_starts[i] + (end - 1 - self.out_starts[i]) + 1
        else:
            last = self.src_ends[i]
        return self.to_source(start), last + self.base


class _Builder:
    __slots__ = ("last", "linear", "out_len", "out_starts", "parts", "src_ends", "src_starts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.out_starts = array("q")
        self.src_starts = array("q")
        self.src_ends = array("q")
        self.linear = bytearray()
        self.out_len = 0
        self.last = "\n"

    def emit(self, text: str, src: int, linear: bool, src_end: int | None = None) -> None:
        if not text:
            return
        self.out_starts.append(self.out_len)
        self.src_starts.append(src)
        self.src_ends.append(src + len(text) if src_end is None else src_end)
        self.linear.append(linear)
        self.parts.append(text)
        self.out_len += len(text)
        self.last = text[-1]

    def text_run(self, run: str, src: int) -> None:
        run = _DROP.sub("", run) if _DROP.search(run) else run
        pos = 0
        for m in _WS_RUN.finditer(run):
            if m.start() > pos:
                self.emit(run[pos : m.start()], src + pos, True)
            if self.last not in " \n\t":
                self.emit(" ", src + m.start(), False)
            pos = m.end()
        if pos < len(run):
            piece = run[pos:]
            if self.last in " \n\t" and piece.startswith(" "):
                piece = piece.lstrip(" ")
                pos = len(run) - len(piece)
            self.emit(piece, src + pos, True)

    def newline(self, src: int) -> None:
        if self.last == " " and self.parts:
            self._trim_space()
        if self.out_len >= 2 and self.parts[-1].endswith("\n\n"):
            return
        if self.last == "\n" and len(self.parts) >= 2 and self.parts[-2].endswith("\n"):
            return
        self.emit("\n", src, False)

    def cell(self, src: int) -> None:
        if self.last == " " and self.parts:
            self._trim_space()
        if self.last not in "\n\t":
            self.emit(CELL_SEP, src, False)

    def _trim_space(self) -> None:
        last = self.parts[-1]
        if last == " ":
            self.parts.pop()
            self.out_starts.pop()
            self.src_starts.pop()
            self.src_ends.pop()
            self.linear.pop()
            self.out_len -= 1
        else:
            self.parts[-1] = last[:-1]
            self.out_len -= 1
        self.last = self.parts[-1][-1] if self.parts else "\n"


class _State:
    __slots__ = ("pre_depth", "skip_until")

    def __init__(self) -> None:
        self.skip_until: str | None = None
        self.pre_depth = 0


def _tag(b: _Builder, st: _State, token: str, name: str, start: int) -> None:
    lname = name.lower()
    closing = token.startswith("</")
    if st.skip_until is not None:
        if closing and lname == st.skip_until:
            st.skip_until = None
        return
    if lname in _SKIP_CONTENT and not closing and not token.endswith("/>"):
        st.skip_until = lname
        return
    if lname == "pre":
        st.pre_depth = max(st.pre_depth + (-1 if closing else 1), 0)
    if lname in _BLOCK_TAGS:
        b.newline(start)
    elif lname in _CELL_TAGS and not closing:
        b.cell(start)


def _entity(b: _Builder, token: str, start: int, end: int) -> None:
    char = html.unescape(token if token.endswith(";") else token + ";")
    if char in (token, token + ";"):
        b.text_run(token, start)  # unknown entity: keep it verbatim
    elif char in _SPACE_CHARS or char in " \t\r\n":
        b.text_run(" ", start)
    elif char not in _DROP_CHARS:
        b.emit(char, start, False, end)


def html_to_text(source: str, *, base: int = 0) -> tuple[str, OffsetMap]:
    """Convert an HTML document to text; ``base`` is where ``source`` starts in its file."""
    b = _Builder()
    st = _State()
    pos = 0
    for m in _TOKEN.finditer(source):
        start = m.start()
        if st.skip_until is None and start > pos:
            if st.pre_depth:
                b.emit(source[pos:start], pos, True)
            else:
                b.text_run(source[pos:start], pos)
        pos = m.end()
        token = m.group(0)
        if m.group(1) is not None:
            _tag(b, st, token, m.group(1), start)
        elif st.skip_until is None and token[0] == "&":
            _entity(b, token, start, pos)
    if st.skip_until is None and pos < len(source):
        b.text_run(source[pos:], pos)
    text = "".join(b.parts)
    return text, OffsetMap(b.out_starts, b.src_starts, b.src_ends, b.linear, base)


_HTML_SNIFF = re.compile(
    r"<(?:html|body|div|p|font|br|span|td|tr)\b|&(?:nbsp|#160|#9746|#9744);", re.IGNORECASE
)


def looks_like_html(text: str) -> bool:
    """Whether a document body is HTML rather than plain text with a stray tag or two.

    Plain-text filings use ``<TABLE>``/``<S>``/``<C>``/``<PAGE>`` markup, so those alone
    do not count.
    """
    head = text[:4000]
    hits = _HTML_SNIFF.findall(head)
    return len(hits) >= 2 or head.lstrip()[:6].lower() in ("<html>", "<html ", "<!doct")
