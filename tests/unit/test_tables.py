"""The table model: HTML and plain-text tables as grids of cells whose spans point into the
raw file.

Expected grids are read off the HTML written in each test, never off this code.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.text.tables import html_tables, text_table


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


# --- plain-text tables ----------------------------------------------------------------------


def _text_grid(text: str) -> list[list[tuple[int, str]]]:
    table = text_table(text, 0, len(text))
    assert table is not None
    return [[(c.col, c.text) for c in row] for row in table.rows]


def test_text_table_header_lines_join_per_column_and_wrapped_titles_join_their_row():
    text = (
        "                                   Proposed       Proposed\n"
        "Title of                           maximum        maximum\n"
        "securities to       Amount to      offering       aggregate        Amount of\n"
        "be registered       be registered  price/share    offering price   registration fee\n"
        "------------------------------------------------------------------------------------\n"
        "Common Stock, $.01         17      $3.82          $65              $1\n"
        "  par value, under\n"
        "  the Junglee Plan\n"
        "\n"
        "Common Stock              732      $10.00         $7,320           $2.16\n"
    )
    assert _text_grid(text) == [
        [
            (0, "Title of securities to be registered"),
            (1, "Amount to be registered"),
            (2, "Proposed maximum offering price/share"),
            (3, "Proposed maximum aggregate offering price"),
            (4, "Amount of registration fee"),
        ],
        [
            (0, "Common Stock, $.01 par value, under the Junglee Plan"),
            (1, "17"),
            (2, "$3.82"),
            (3, "$65"),
            (4, "$1"),
        ],
        [(0, "Common Stock"), (1, "732"), (2, "$10.00"), (3, "$7,320"), (4, "$2.16")],
    ]


def test_text_table_pipes_win_over_misplaced_column_marks():
    # the Innovo seed's layout: <S>/<C> marks that do not sit over the pipe-ruled columns
    text = (
        "        <S>                  <C>           <C>           <C>\n"
        "  Title of         |   Amount to be   |  Price per  |   Fee\n"
        "  Securities       |   Registered     |  Share      |\n"
        "-----------------------------------------------------------\n"
        "Common Stock       |   2,000,000 (1)  |  $6.495 (2) |  $1,050.89\n"
    )
    assert _text_grid(text) == [
        [
            (0, "Title of Securities"),
            (1, "Amount to be Registered"),
            (2, "Price per Share"),
            (3, "Fee"),
        ],
        [(0, "Common Stock"), (1, "2,000,000 (1)"), (2, "$6.495 (2)"), (3, "$1,050.89")],
    ]


def test_text_table_dollar_apart_from_its_number_and_tabs_keep_the_column():
    text = (
        "Title\tAmount\t\tFee\n"
        "-----\n"
        "Common\t1,000\t\t$  775.76\n"
    )  # fmt: skip
    assert _text_grid(text)[1] == [(0, "Common"), (1, "1,000"), (2, "$ 775.76")]


def test_text_table_without_a_rule_takes_the_lines_before_the_first_value_as_header():
    text = "Title           Amount      Fee (1)\nCommon Stock    300,000     $109.35\n"
    assert _text_grid(text) == [
        [(0, "Title"), (1, "Amount"), (2, "Fee (1)")],
        [(0, "Common Stock"), (1, "300,000"), (2, "$109.35")],
    ]


def test_text_table_with_lines_that_fit_no_column_layout_is_not_read():
    # two value lines whose cells interleave: no set of columns holds both
    text = "Title   Amount\n------\nAAAA    1,000   BBBB\n  CCCCCCCCCCCCC    2,000\n"
    assert text_table(text, 0, len(text)) is None


def test_text_table_spans_point_through_the_offset_map_into_the_raw_file():
    from workbench.text.html_to_text import html_to_text

    raw = "<pre>Title        Amount\n-----\nCommon &amp; Co   1,500,000</pre>"
    clean, offsets = html_to_text(raw)
    start = clean.index("Title")
    table = text_table(clean, start, len(clean), offsets)
    assert table is not None
    title, amount = table.rows[1]
    assert raw[title.span().start : title.span().end] == "Common &amp; Co"
    assert raw[amount.span().start : amount.span().end] == "1,500,000"


#: any cell but a lone "$", which by design joins the value to its right (tested above)
_WORD = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,.$()",
    min_size=1,
    max_size=9,
).filter(lambda w: w not in ("$", "US$"))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_WORD, min_size=3, max_size=3), min_size=1, max_size=6),
    st.lists(st.integers(min_value=2, max_value=6), min_size=3, max_size=3),
)
def test_property_aligned_text_cells_come_back_with_their_spans(rows, gaps):
    """Cells padded to fixed column widths come back as the same cells, each span on its
    characters; the header line is the first row."""
    widths = [max(len(r[k]) for r in [["Head0", "Head1", "Head2"], *rows]) for k in range(3)]

    def line(cells: list[str]) -> str:
        return "".join(c.ljust(w + g) for c, w, g in zip(cells, widths, gaps, strict=True))

    text = line(["Head0", "Head1", "Head2"]) + "\n----\n" + "\n".join(line(r) for r in rows)
    table = text_table(text, 0, len(text))
    assert table is not None
    got = [[c.text for c in row] for row in table.rows[1:]]
    assert got == rows
    for row in table.rows:
        for c in row:
            assert text[c.span().start : c.span().end] == c.text
