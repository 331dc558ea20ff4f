"""Layer 7: one function per chart, Polars frame in, ``alt.Chart`` out, no display side effects.

Frames are aggregated in Polars before they reach Altair, so no chart embeds more than
``MAX_ROWS`` rows, whatever the size of the panel behind it.
"""

from __future__ import annotations

import base64
import html

import altair as alt
import polars as pl

from workbench.vocab import Vocabulary

#: the most rows a chart may embed (Altair's own limit is 5,000)
MAX_ROWS = 4_000


def bounded(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame unchanged, or a ``ValueError`` when it is too big to embed."""
    if frame.height > MAX_ROWS:
        raise ValueError(f"{frame.height:,} rows to embed; aggregate first (max {MAX_ROWS:,})")
    return frame


def empty_chart(message: str) -> alt.Chart:
    """A chart that says there is nothing to draw (a blank space would look like a bug)."""
    return (
        alt.Chart(pl.DataFrame({"message": [message]}))
        .mark_text(size=13, color="#666")
        .encode(text="message:N")
        .properties(width=420, height=60, description=f"No chart: {message}.")
    )


def description(chart: alt.TopLevelMixin) -> str:
    """The chart's one-sentence description (its alt text), or its title, or a plain word."""
    for attr in ("description", "title"):
        value = getattr(chart, attr, alt.Undefined)
        if isinstance(value, str) and value:
            return value
    return "A chart."


def svg_img(chart: alt.TopLevelMixin) -> str:
    """The chart as an ``<img>`` of its static SVG, with its description as alt text (a
    screen reader, a search box and an offline page all get words, not "no description")."""
    data = base64.b64encode(to_svg(chart).encode("utf-8")).decode("ascii")
    alt_text = html.escape(description(chart), quote=True)
    return f'<img class="wb-chart" alt="{alt_text}" src="data:image/svg+xml;base64,{data}">'


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Static SVG via vl-convert (no browser, no network)."""
    import vl_convert as vlc

    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0].replace(".", "_")
    return str(vlc.vegalite_to_svg(chart.to_dict(), vl_version=version))


def label_expr(vocab: Vocabulary) -> str:
    """A Vega expression that shows a code's label in a legend or axis (the data keep the
    codes, so filters and exports stay stable)."""
    out = "datum.label"
    for code in reversed(vocab):
        label = vocab.label(code).replace("\\", "\\\\").replace("'", "\\'")
        out = f"datum.label === '{code}' ? '{label}' : ({out})"
    return out
