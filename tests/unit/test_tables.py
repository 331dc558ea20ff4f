"""The table model: HTML tables as grids of cells whose spans point into the raw file.

Expected grids are read off the HTML written in each test, never off this code.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.text.tables import html_tables


def _grid(html: str) -> list[list[tuple[int, int, str]]]:
    (table,) = list(html_tables(html))
    return [[(c.col, c.colspan, c.text) for c in row if c.text] for row in table.rows]


def test_colspan_and_rowspan_place_cells_on_the_grid():
    html = (
        "<table><tr><td rowspan=2>Equity</td><td colspan=2>Common Stock</td><td>457(c)</td></tr>"
        "<tr><td>100</td><td>$</td><td>1.00</td></tr></table>"
    )
    assert _grid(html) == [
        [(0, 1, "Equity"), (1, 2, "Common Stock"), (3, 1, "457(c)")],
        [(1, 1, "100"), (2, 1, "$"), (3, 1, "1.00")],  # column 0 is taken by the rowspan
    ]
    (table,) = list(html_tables(html))
    assert table.cell_at(1, 0) is not None and table.cell_at(1, 0).text == "Equity"


def test_paragraphs_divs_fonts_and_breaks_inside_a_cell_stay_one_cell():
    html = (
        "<table><tr><td><p>Proposed</p><p>Maximum</p><div>Offering<br>Price</div></td>"
        "<td><font size=1><p style='x'>27,726,052</p></font> <p>(2)</p></td></tr></table>"
    )
    assert _grid(html) == [[(0, 1, "Proposed Maximum Offering Price"), (1, 1, "27,726,052 (2)")]]


def test_unclosed_cells_and_rows_close_at_the_next_one():
    html = "<TABLE><TR><TD>a<TD>b<TR><TD>c</TABLE>"
    assert _grid(html) == [[(0, 1, "a"), (1, 1, "b")], [(0, 1, "c")]]


def test_empty_cells_keep_their_column():
    html = "<table><tr><td>x</td><td></td><td>&nbsp;</td><td>y</td></tr></table>"
    assert _grid(html) == [[(0, 1, "x"), (3, 1, "y")]]


def test_nested_table_is_read_and_its_text_stays_in_the_outer_cell():
    html = "<table><tr><td>out <table><tr><td>in</td></tr></table></td></tr></table>"
    outer, inner = list(html_tables(html))
    assert outer.rows[0][0].text == "out in"
    assert inner.rows[0][0].text == "in"


def test_each_cell_span_points_at_its_characters_in_the_file():
    prefix = "<html><body><p>Exhibit 107</p>"
    html = prefix + "<table><tr><td><b>$</b>&nbsp;21,730,000.00</td><td>457(o)</td></tr></table>"
    (table,) = list(html_tables(html))
    money, rule = table.rows[0]
    assert money.text == "$ 21,730,000.00"
    a = money.text.index("21")
    span = money.span(a, len(money.text))
    assert html[span.start : span.end] == "21,730,000.00"
    assert html[rule.span().start : rule.span().end] == "457(o)"


def test_a_range_reads_only_the_tables_inside_it():
    html = "<table><tr><td>one</td></tr></table><p>x</p><table><tr><td>two</td></tr></table>"
    start = html.index("<p>")
    assert [t.rows[0][0].text for t in html_tables(html, start)] == ["two"]


def test_huge_spans_are_clamped():
    (table,) = list(html_tables("<table><tr><td colspan=99999>x</td></tr></table>"))
    assert table.n_cols <= 64


_words = st.text(alphabet="abcXYZ019,.$ ", min_size=1, max_size=12).filter(lambda s: s.strip())


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(_words, min_size=1, max_size=5), min_size=1, max_size=5))
def test_property_every_word_maps_back_to_the_same_characters(rows):
    """For any table of plain words, each cell's text equals its source characters with
    whitespace collapsed, and each character's span holds that character."""
    body = "".join("<tr>" + "".join(f"<td><p>{w}</p></td>" for w in row) + "</tr>" for row in rows)
    html = f"<div>lead</div><table>{body}</table>"
    (table,) = list(html_tables(html))
    for got_row, want_row in zip(table.rows, rows, strict=True):
        texts = [c.text for c in got_row]
        assert texts == [" ".join(w.split()) for w in want_row]
        for c in got_row:
            for i, ch in enumerate(c.text):
                if ch != " ":
                    s = c.span(i, i + 1)
                    assert html[s.start : s.end] == ch
