"""Layer 7: ipywidgets explorers for live JupyterLab sessions.

An explorer holds the frames, a few controls and one live chart per slot. Filtering is a
plain method (``selection()``) a test can call without a browser; ``refresh()`` redraws every
chart from it. Charts are ``alt.JupyterChart`` widgets whose JavaScript is vl-convert's
bundle, so tooltips, zoom and selections work offline; a brush or a click on a chart reaches
Python and narrows the explorer's table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as widgets
import polars as pl
from IPython.display import HTML, display

from workbench.analytics.companies import company_filter
from workbench.charts import live, selection_values, styled
from workbench.display import esc
from workbench.sources.index_files import normal_ticker

ALL = "(all)"


def company_box(choices: pl.DataFrame, description: str = "Company") -> widgets.Combobox:
    """A search box that autocompletes over company names and CIKs (``company_choices``)."""
    return widgets.Combobox(
        options=tuple(choices["label"].to_list()),
        placeholder="name, CIK or ticker; empty: all companies",
        description=description,
        ensure_option=False,
        continuous_update=False,
        layout=widgets.Layout(width="460px"),
    )


def company_expr(text: str, tickers: Mapping[str, int] | None = None) -> pl.Expr | None:
    """The company filter a search-box entry means: a label ``NAME (CIK n)``, digits (a
    CIK), a ticker in ``tickers`` (exactly, any case), or a case-insensitive part of the
    name; None when the box is empty."""
    text = text.strip()
    if not text:
        return None
    if text.endswith(")") and "(CIK " in text:
        return company_filter(cik=int(text.rsplit("(CIK ", 1)[1].rstrip(")")))
    if text.isdigit():
        return company_filter(cik=int(text))
    if tickers and " " not in text and (cik := tickers.get(normal_ticker(text))) is not None:
        return company_filter(cik=cik)
    return company_filter(company=text)


def filtered(
    rows: pl.DataFrame,
    *,
    company: str,
    years: tuple[int, int],
    date_column: str,
    choices: dict[str, str],
    tickers: Mapping[str, int] | None = None,
) -> pl.DataFrame:
    """Rows matching the search box, the year range of ``date_column``, and every dropdown
    (column → value) not left at "(all)"."""
    expr = company_expr(company, tickers)
    if expr is not None:
        rows = rows.filter(expr)
    rows = rows.filter(pl.col(date_column).dt.year().is_between(*years))
    for column, value in choices.items():
        if value != ALL:
            rows = rows.filter(pl.col(column).cast(pl.String) == value)
    return rows


def status_line() -> widgets.HTML:
    """The one-line summary of the selection (the browser test reads it by its class)."""
    status = widgets.HTML()
    status.add_class("wb-status")
    return status


class HtmlOutput:
    """An output area holding HTML (a table), redrawn only when its markup changes: a chart
    redraw clears the chart's selection, which would otherwise draw the same table twice.
    The CSS class ``wb-<name>`` lets a browser test find it."""

    def __init__(self, name: str) -> None:
        self.widget = widgets.Output(layout=widgets.Layout(min_height="40px"))
        self.widget.add_class(f"wb-{name}")
        self.markup = ""

    def show(self, markup: str) -> None:
        """Show ``markup`` (nothing to do when it is what is shown)."""
        if markup == self.markup:
            return
        self.markup = markup
        with self.widget:
            self.widget.clear_output(wait=True)
            display(HTML(markup))


class LiveChart:
    """One chart slot of an explorer: a single live chart for the explorer's life (a new
    widget would send the 1 MB JavaScript bundle again) whose chart is swapped on redraw.
    ``on_select`` runs when the user brushes or clicks; a redraw clears the selection."""

    def __init__(self, name: str, on_select: Callable[[], Any] | None = None) -> None:
        self.widget = live(alt.Chart(pl.DataFrame({"x": [0]})).mark_text(text=""))
        self.widget.add_class(f"wb-chart-{name}")
        self.widget.layout = widgets.Layout(min_height="80px")
        self._on_select = on_select
        self._drawing = False
        self.widget.observe(self._selected, names="_vl_selections")

    def show(self, chart: alt.TopLevelSpec) -> None:
        """Draw ``chart`` in this slot."""
        self._drawing = True
        try:
            self.widget.chart = styled(chart)
        finally:
            self._drawing = False

    @property
    def selections(self) -> dict[str, Any]:
        """What the user has brushed or clicked on this chart (``charts.selection_values``)."""
        return selection_values(self.widget)

    def _selected(self, _change: Any) -> None:
        if not self._drawing and self._on_select is not None:
            self._on_select()


def chart_selections(charts: Mapping[str, LiveChart]) -> dict[str, Any]:
    """Everything brushed or clicked on an explorer's charts now, by selection name."""
    return {k: v for chart in charts.values() for k, v in chart.selections.items()}


def year_range(dates: pl.Series, description: str) -> widgets.IntRangeSlider:
    """A year slider spanning the dates present (one year when there is nothing)."""
    years = dates.drop_nulls().dt.year()
    lo = int(years.min()) if years.len() else 2000  # type: ignore[arg-type]
    hi = int(years.max()) if years.len() else lo  # type: ignore[arg-type]
    return widgets.IntRangeSlider(
        value=(lo, hi), min=lo, max=max(hi, lo + 1), step=1, description=description,
        continuous_update=False, layout=widgets.Layout(width="460px"),
    )  # fmt: skip


def dropdown(options: Sequence[str | tuple[str, str]], description: str) -> widgets.Dropdown:
    """A filter with an "(all)" first choice; options are codes or ``(label, code)`` pairs
    (a vocabulary's ``options()``), so the user reads labels and the filter gets codes."""
    pairs = [o if isinstance(o, tuple) else (o, o) for o in options]
    return widgets.Dropdown(options=[(ALL, ALL), *pairs], value=ALL, description=description)


def watch(controls: list[widgets.Widget], callback: Callable[..., Any]) -> None:
    """Call ``callback`` when any control's value changes."""
    for c in controls:
        c.observe(callback, names="value")


def flat(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with list columns as ``"a; b"`` text and enums as text: what a CSV or a
    spreadsheet can hold."""
    out = []
    for name, dtype in rows.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List):
            out.append(col.list.eval(pl.element().cast(pl.String)).list.join("; ").alias(name))
        elif isinstance(dtype, pl.Enum | pl.Categorical):
            out.append(col.cast(pl.String))
        elif dtype.is_nested():
            out.append(col.cast(pl.String, strict=False))
        else:
            out.append(col)
    return rows.select(out)


def export_rows(rows: pl.DataFrame, path: str | Path) -> Path:
    """Write ``rows`` as CSV or Excel (by the suffix: .csv or .xlsx); dates stay dates."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    table = flat(rows)
    if target.suffix.lower() == ".xlsx":
        table.write_excel(target, worksheet="rows", autofit=True)
    elif target.suffix.lower() == ".csv":
        table.write_csv(target)
    else:
        raise ValueError(f"export to .csv or .xlsx, not {target.suffix or 'no suffix'}")
    return target


def export_bar(
    rows: Callable[[], pl.DataFrame], stem: str, folder: str | Path = "."
) -> widgets.HBox:
    """Two buttons that write ``rows()`` (what the table shows, every selected row) to
    ``folder/stem.csv`` or ``.xlsx`` and show where the file went."""
    said = widgets.HTML()
    said.add_class(f"wb-export-{stem}")

    def save(suffix: str) -> None:
        frame = rows()
        path = export_rows(frame, Path(folder) / f"{stem}{suffix}")
        said.value = f"{frame.height:,} rows written to <code>{esc(path)}</code>"

    buttons = []
    for suffix, label in ((".csv", "CSV"), (".xlsx", "Excel")):
        button = widgets.Button(description=f"Export {label}", icon="download")
        button.on_click(lambda _b, s=suffix: save(s))
        buttons.append(button)
    return widgets.HBox([*buttons, said])
