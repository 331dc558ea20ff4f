from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.text.html_to_text import OffsetMap, html_to_text, looks_like_html


def _src(src: str, text: str, offsets, needle: str) -> str:
    i = text.index(needle)
    start, end = offsets.span_to_source(i, i + len(needle))
    return src[start:end]


def test_entities_nbsp_and_cells_are_cleaned():
    src = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<p>Hello&nbsp;&nbsp;world &amp; co</p>"
        "<table><tr><td>$</td><td>6.495</td><td>(2)</td></tr></table>"
        "<div>&#9746;&#8194;Form&nbsp;10-K&#8195;&#9744;&#8194;Form&nbsp;20-F</div></body></html>"
    )
    text, _ = html_to_text(src)
    assert "Hello world & co" in text
    assert "$\t6.495\t(2)" in text  # cells stay apart
    assert "☒ Form 10-K ☐ Form 20-F" in text
    assert "p{}" not in text and "\nt\n" not in text  # style and head are not reader text


def test_offsets_point_back_to_source():
    src = '<div style="x">Net revenues of&nbsp;<b>$9,292,000</b> in fiscal&#160;2001</div>'
    text, offsets = html_to_text(src, base=1000)
    i = text.index("$9,292,000")
    start, end = offsets.span_to_source(i, i + len("$9,292,000"))
    assert src[start - 1000 : end - 1000] == "$9,292,000"
    j = text.index("fiscal 2001")
    s2, e2 = offsets.span_to_source(j, j + len("fiscal 2001"))
    assert src[s2 - 1000 : e2 - 1000] == "fiscal&#160;2001"


def test_entity_span_covers_whole_entity():
    src = "<p>&#9746; Yes</p>"
    text, offsets = html_to_text(src)
    assert _src(src, text, offsets, "☒") == "&#9746;"


def test_inline_xbrl_header_is_hidden():
    src = (
        '<html><body><div style="display:none"><ix:header><ix:hidden>'
        "<ix:nonNumeric name='dei:AmendmentFlag'>false</ix:nonNumeric></ix:hidden></ix:header>"
        "</div><p>Item 5.02 Departure of Directors</p></body></html>"
    )
    text, _ = html_to_text(src)
    assert "false" not in text
    assert "Item 5.02 Departure of Directors" in text


def test_pre_keeps_whitespace_and_unterminated_comment_is_safe():
    src = "<pre>a    b\n  c</pre><!-- never closed <p>hidden"
    text, _ = html_to_text(src)
    assert "a    b\n  c" in text
    assert "hidden" not in text


def test_plain_text_sgml_tables_are_not_html():
    body = "<PAGE>\n<TABLE>\n<CAPTION>\n<S>   <C>\nCommon Stock   2,000,000\n</TABLE>\n"
    assert not looks_like_html(body)
    assert looks_like_html("<html><body><p>x</p></body></html>")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="abc XYZ019$,.", min_size=1, max_size=10),
            st.sampled_from(
                [
                    "<p>",
                    "</p>",
                    "<br>",
                    "<td>",
                    "<tr>",
                    "<b>",
                    "</b>",
                    "&amp;",
                    "&nbsp;",
                    "<!-- c -->",
                ]
            ),
        ),
        max_size=30,
    )
)
def test_property_every_output_character_maps_back_to_its_source(parts):
    """Verbatim characters of the output map to the same character in the source."""
    source = "".join(parts)
    text, offsets = html_to_text(source)
    for i, ch in enumerate(text):
        if ch.isalnum():
            start, end = offsets.span_to_source(i, i + 1)
            assert source[start:end] == ch, (i, ch, source)


@st.composite
def _points(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    """Source start and end of each character of a text: verbatim runs, entities (several
    source characters for one), jumps over tags."""
    src, ends, pos = [], [], draw(st.integers(0, 50))
    for _ in range(draw(st.integers(1, 40))):
        pos += draw(st.sampled_from([0, 0, 0, 1, 7]))  # mostly contiguous
        width = draw(st.sampled_from([1, 1, 1, 6]))  # a character, or an entity
        src.append(pos)
        ends.append(pos + width)
        pos += width
    return src, ends


@given(_points())
def test_compact_offset_map_equals_the_per_character_map(points):
    src, ends = points
    naive = OffsetMap(tuple(range(len(src))), tuple(src), tuple(ends), (False,) * len(src))
    compact = OffsetMap.from_points(src, ends)
    assert len(compact.out_starts) <= len(src)
    for i in range(len(src)):
        assert compact.to_source(i) == naive.to_source(i) == src[i]
    for a in range(len(src)):
        for b in range(a + 1, len(src) + 1):
            assert (
                compact.span_to_source(a, b) == naive.span_to_source(a, b) == (src[a], ends[b - 1])
            )
