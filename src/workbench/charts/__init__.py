"""Layer 7: one function per chart, Polars frame in, ``alt.Chart`` out, no display side effects.

Frames are aggregated in Polars before they reach Altair, so no chart embeds more than
``MAX_ROWS`` rows, whatever the size of the panel behind it.

A chart is shown three ways, all without a network: ``live`` (a JupyterChart widget whose
JavaScript comes from vl-convert's bundle), ``figure_html`` (a static SVG with the spec
beside it, made live in an HTML report by ``live_script``), and ``svg_img`` (the SVG alone).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import altair as alt
import polars as pl

from workbench.vocab import Vocabulary

#: the most rows a chart may embed (Altair's own limit is 5,000)
MAX_ROWS = 4_000

#: a count axis: whole numbers only (no "0.5 notices")
COUNT_AXIS = alt.Axis(tickMinStep=1, format="d")

#: every chart's font. vl-convert lays a static chart out with its bundled Liberation Sans;
#: a browser drawing the SVG with a wider fallback (DejaVu Sans on a bare Linux) cut legends
#: and ran axis titles into tick labels. Liberation Sans, Arial and Helvetica share their
#: metrics, so naming them keeps the text the width it was measured at.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

#: vega-embed options for live charts: SVG (its root carries the description as aria-label),
#: tooltips, and an export menu without the links to the online Vega editor
EMBED_OPTIONS: dict[str, Any] = {
    "renderer": "svg",
    "tooltip": True,
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


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


def description(chart: alt.TopLevelSpec) -> str:
    """The chart's one-sentence description (its alt text), or its title, or a plain word."""
    for attr in ("description", "title"):
        value = getattr(chart, attr, alt.Undefined)
        if isinstance(value, str) and value:
            return value
    return "A chart."


#: characters XML 1.0 cannot carry: a control character in a company name made vl-convert
#: panic and abort the whole process (the report, or the explorer's kernel)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    return value


def spec(chart: alt.TopLevelSpec) -> dict[str, Any]:
    """The chart's Vega-Lite spec, ``styled``, with every text XML can carry (a control
    character becomes U+FFFD)."""
    out: dict[str, Any] = _xml_safe(styled(chart).to_dict())
    return out


def svg_img(chart: alt.TopLevelSpec) -> str:
    """The chart as an ``<img>`` of its static SVG, with its description as alt text (a
    screen reader, a search box and an offline page all get words, not "no description")."""
    data = base64.b64encode(to_svg(chart).encode("utf-8")).decode("ascii")
    alt_text = html.escape(description(chart), quote=True)
    return f'<img class="wb-chart" alt="{alt_text}" src="data:image/svg+xml;base64,{data}">'


def _vl_version() -> str:
    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0].replace(".", "_")


def to_svg(chart: alt.TopLevelSpec) -> str:
    """Static SVG via vl-convert (no browser, no network)."""
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(spec(chart), vl_version=_vl_version()))


def figure_html(chart: alt.TopLevelSpec) -> str:
    """A ``<figure>`` holding the static SVG (what prints, and what a page without
    JavaScript or an untrusted notebook shows) and the chart's spec as JSON, which
    ``live_script`` turns into a live chart in an HTML report."""
    data = json.dumps(spec(chart), separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<figure class="wb-figure">{svg_img(chart)}'
        f'<script type="application/json" class="wb-spec">{data}</script></figure>'
    )


#: run once in a page: draws every ``figure_html`` spec live with vega-embed and keeps the
#: static SVG for print (and in place when a spec fails to draw)
_LIVE_SNIPPET = """
const options = OPTIONS;
for (const figure of document.querySelectorAll("figure.wb-figure")) {
  const source = figure.querySelector("script.wb-spec");
  if (!source) continue;
  const view = document.createElement("div");
  view.className = "wb-view";
  figure.appendChild(view);
  vegaEmbed(view, JSON.parse(source.textContent), options)
    .then(() => figure.classList.add("wb-live"))
    .catch((err) => { view.remove(); figure.dataset.error = String(err); });
}
"""

#: CSS for ``figure_html``: the live view on screen, the static SVG in print
LIVE_CSS = (
    "figure.wb-figure { margin: 0.5em 0 1em; }\n"
    "figure.wb-figure.wb-live > img.wb-chart { display: none; }\n"
    "@media print {\n"
    "  figure.wb-figure.wb-live > img.wb-chart { display: block; }\n"
    "  figure.wb-figure > .wb-view { display: none; }\n"
    "}\n"
    f"#vg-tooltip-element {{ font-family: {FONT}; }}\n"
)


@cache
def live_script() -> str:
    """The one ``<script>`` an HTML report needs for live charts: Vega, Vega-Lite and
    vega-embed from vl-convert's bundle (no CDN), then ``_LIVE_SNIPPET``."""
    import vl_convert as vlc

    options = json.dumps({**EMBED_OPTIONS, "actions": False})
    code = vlc.javascript_bundle(
        _LIVE_SNIPPET.replace("OPTIONS", options), vl_version=_vl_version()
    )
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def live(chart: alt.TopLevelSpec) -> alt.JupyterChart:
    """A live chart widget (tooltips, zoom, selections reach Python) whose JavaScript is
    vl-convert's bundle, not a CDN. Swap a shown chart with ``widget.chart = styled(new)``:
    every new widget sends the bundle (about 1 MB) to the browser again."""
    alt.JupyterChart.enable_offline()
    return alt.JupyterChart(styled(chart), embed_options=EMBED_OPTIONS)


def styled(chart: alt.TopLevelSpec) -> alt.TopLevelSpec:
    """``chart`` with the house font (``FONT``) in its config unless it sets its own: the
    one place the font rule lives, for live charts and static ones."""
    out = chart.copy(deep=False)
    if out.config is alt.Undefined:
        out.config = alt.Config(font=FONT)
    elif out.config.font is alt.Undefined:
        out.config = out.config.copy(deep=False)
        out.config.font = FONT
    return out


def selection_values(widget: alt.JupyterChart) -> dict[str, Any]:
    """A live chart's selections as plain values: an interval brush as ``{field: [lo, hi]}``,
    a point pick as ``[{field: value, ...}, ...]``; empty ones left out."""
    out: dict[str, Any] = {}
    for name, kind in widget._selection_types.items():
        raw = widget._vl_selections.get(name) or {}
        signal = raw.get("value") or {}
        if kind == "interval":
            value: Any = {k: v for k, v in signal.items() if isinstance(v, list) and len(v) == 2}
        else:
            value = list(signal.get("vlPoint", {}).get("or", []))
        if value:
            out[name] = value
    return out


def instant(value: Any) -> dt.datetime:
    """A brush end on a time axis (epoch milliseconds, or an ISO string) as a UTC time."""
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC)
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(dt.UTC)


def interval(selections: Mapping[str, Any], name: str, field: str) -> tuple[Any, Any] | None:
    """The ``[lo, hi]`` of brush ``name`` over ``field`` (low end first), or None."""
    ends = (selections.get(name) or {}).get(field)
    if not ends:
        return None
    lo, hi = ends
    return (lo, hi) if lo <= hi else (hi, lo)


def tip_text(column: str, missing: str = "–") -> pl.Expr:
    """``column`` as tooltip text, a missing value as ``missing`` (a tooltip prints "null")."""
    return pl.col(column).cast(pl.String).fill_null(missing).alias(column)


def code_label(column: str, vocab: Vocabulary) -> pl.Expr:
    """``column``'s codes as their labels (a code the vocabulary lacks stays as it is), for a
    tooltip or axis that a reader reads."""
    codes = pl.col(column).cast(pl.String)
    return codes.replace_strict(vocab.labels(), default=codes)


def label_expr(vocab: Vocabulary) -> str:
    """A Vega expression that shows a code's label in a legend or axis (the data keep the
    codes, so filters and exports stay stable)."""
    out = "datum.label"
    for code in reversed(vocab):
        label = vocab.label(code).replace("\\", "\\\\").replace("'", "\\'")
        out = f"datum.label === '{code}' ? '{label}' : ({out})"
    return out
