"""Live charts without a browser: the spec a report page carries, what a brush or a click
selects, and the Vega-Lite version the offline bundle must share with Altair."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import math
import re

import altair as alt
import polars as pl
import vl_convert as vlc
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.charts import FONT, figure_html, instant, spec
from workbench.charts import dilution as dil
from workbench.charts import timeliness as tml
from workbench.frames.validate import empty


def test_the_bundle_carries_altairs_vega_lite():
    """JupyterChart.enable_offline and the report bundle ask vl-convert for the Vega-Lite
    that Altair's schema names; a vl-convert without it cannot draw these specs offline."""
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    assert major_minor in vlc.get_vegalite_versions()


def _chart(name: str) -> alt.Chart:
    frame = pl.DataFrame({"company_name": [name], "n": [1]})
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(x="company_name:N", y="n:Q")
        .properties(description=f"Bars of {name}.")
    )


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_a_figure_keeps_any_text_inside_its_script(name):
    """Whatever a company is called (``</script>``, quotes, ``<!--``), the page's JSON parses
    back to the chart's spec and the alt text is the description."""
    page = figure_html(_chart(name))
    scripts = re.findall(r'<script type="application/json" class="wb-spec">(.*?)</script>', page,
                         flags=re.S)  # fmt: skip
    assert len(scripts) == 1
    assert json.loads(scripts[0]) == json.loads(json.dumps(spec(_chart(name))))
    alt_text = re.search(r'alt="([^"]*)"', page)
    assert alt_text and html.unescape(alt_text[1]) == f"Bars of {name}."


def test_static_svg_names_the_font_it_was_measured_with():
    page = figure_html(_chart("ACME"))
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", page)[1]).decode()
    assert "Liberation Sans" in svg and spec(_chart("ACME"))["config"]["font"] == FONT


@given(
    st.floats(0, 200, allow_nan=False),
    st.floats(0, 200, allow_nan=False),
)
def test_days_late_brush_takes_the_days_whose_slot_it_touches(a, b):
    """Day d (clipped at 120) is drawn in the slot [d, d + 1): worked out day by day here,
    not with the code's arithmetic."""
    lo, hi = min(a, b), max(a, b)
    clip = tml.DAYS_LATE_CLIP
    touched = [d for d in range(1, 400) if min(d, clip) < hi and min(d, clip) + 1 > lo]
    panel = pl.concat(
        [empty("timeliness"), pl.DataFrame({"days_late": list(range(-5, 400))})],
        how="diagonal_relaxed",
    )
    rows, said = tml.selected(panel, {tml.DAYS_LATE_RANGE: {"days_late_bin": [a, b]}})
    assert sorted(rows["days_late"].to_list()) == touched
    if touched:
        assert said and "days late" in said[0]


def test_status_pick_selects_year_and_status():
    panel = pl.concat(
        [
            empty("timeliness"),
            pl.DataFrame(
                {
                    "due_date": [dt.date(2020, 3, 30), dt.date(2020, 5, 15), dt.date(2021, 3, 1)],
                    "status": ["on_time", "late_cured", "late_cured"],
                }
            ),
        ],
        how="diagonal_relaxed",
    )
    picks = [{"year": 2020, "status": "late_cured"}, {"year": 2021, "status": "late_cured"}]
    rows, said = tml.selected(panel, {tml.STATUS_PICK: picks})
    assert rows["due_date"].to_list() == [dt.date(2020, 5, 15), dt.date(2021, 3, 1)]
    assert said == ["Late, cured by 12b-25 in 2020; Late, cured by 12b-25 in 2021"]
    assert tml.selected(panel, {})[0].height == 3  # no selection: every row


def test_filing_date_brush_takes_whole_days_inside():
    """A bar stands at its day's midnight UTC: a brush from 2003-09-26 00:00 takes that day,
    one from a minute later does not."""
    rows = pl.DataFrame({"filed_date": [dt.date(2003, 9, 25), dt.date(2003, 9, 26),
                                        dt.date(2004, 1, 15)]})  # fmt: skip
    midnight = dt.datetime(2003, 9, 26, tzinfo=dt.UTC).timestamp() * 1000
    end = dt.datetime(2004, 1, 15, 12, tzinfo=dt.UTC).timestamp() * 1000
    got, said = dil.selected(rows, {dil.FILED_RANGE: {"filed_date": [end, midnight]}})
    assert got["filed_date"].to_list() == [dt.date(2003, 9, 26), dt.date(2004, 1, 15)]
    assert said == ["filed 2003-09-26 to 2004-01-15"]
    later, _ = dil.selected(rows, {dil.FILED_RANGE: {"filed_date": [midnight + 60_000, end]}})
    assert later["filed_date"].to_list() == [dt.date(2004, 1, 15)]
    iso = dil.selected(rows, {dil.FILED_RANGE: {"filed_date": ["2003-09-25T00:00:00.000Z",
                                                               "2003-09-25T23:00:00Z"]}})  # fmt: skip
    assert iso[0]["filed_date"].to_list() == [dt.date(2003, 9, 25)]
    assert instant(0) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC) and math.isfinite(midnight)
