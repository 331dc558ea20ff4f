"""The timeliness explorer: notices against deadlines, status mix, days late, reasons, and a
company's timeline of due dates and filings."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import polars as pl
from IPython.display import display

from workbench.analytics.companies import company_choices, company_key, ticker_map
from workbench.analytics.timeliness import with_notice_details
from workbench.charts import empty_chart
from workbench.charts.timeliness import (
    company_timeline_chart,
    days_late_chart,
    nt_vs_deadline_chart,
    reason_mix_chart,
    status_mix_chart,
)
from workbench.ui import (
    ALL,
    chart_output,
    company_box,
    draw,
    dropdown,
    filtered,
    status_line,
    watch,
    year_range,
)
from workbench.vocab import FILER_CATEGORIES, REASONS


class TimelinessExplorer:
    """Controls (company, due years, report type, filer category, reason) over the panel."""

    def __init__(self, tables: dict[str, pl.LazyFrame]) -> None:
        if "timeliness" not in tables:
            raise ValueError("no timeliness table: run `workbench index` on the data first")
        self.panel = with_notice_details(tables["timeliness"], tables.get("late_notices")).collect()
        notices = tables.get("late_notices")
        self.notices = notices.collect() if notices is not None else pl.DataFrame()
        self.tickers = ticker_map(tables)
        self.company = company_box(company_choices({"timeliness": tables["timeliness"]}))
        self.years = year_range(self.panel["due_date"], "Due")
        self.report = dropdown(sorted(set(self.panel["report_type"].to_list())), "Report")
        self.category = dropdown(FILER_CATEGORIES.options(), "Category")
        labels = self.panel["nt_reason_labels"].explode().drop_nulls().unique().sort()
        self.reason = dropdown([(REASONS.label(x), x) for x in labels.to_list()], "Reason")
        self.status = status_line()
        names = ("status", "nt_timing", "days_late", "reasons", "timeline")
        self.outputs = {name: chart_output(name) for name in names}
        watch([self.company, self.years, self.report, self.category, self.reason], self.refresh)
        self.refresh()

    def selection(self) -> pl.DataFrame:
        """The panel rows the controls select."""
        rows = filtered(
            self.panel,
            company=self.company.value or "",
            years=self.years.value,
            date_column="due_date",
            tickers=self.tickers,
            choices={"report_type": self.report.value, "filer_category": self.category.value},
        )
        if self.reason.value != ALL:
            rows = rows.filter(
                pl.col("nt_reason_labels").list.contains(self.reason.value).fill_null(False)
            )
        return rows

    def refresh(self, *_: Any) -> None:
        """Redraw the status line and every chart from ``selection()``."""
        rows = self.selection()
        n_nt = rows.filter(pl.col("nt_filed_date").is_not_null()).height
        n_late = rows.filter(pl.col("days_late") > 0).height
        self.status.value = (
            f"<b>{rows.height:,}</b> reports due, <b>{n_nt:,}</b> with a Form 12b-25 notice, "
            f"{n_late:,} filed late"
        )
        draw(self.outputs["status"], status_mix_chart(rows))
        draw(self.outputs["nt_timing"], nt_vs_deadline_chart(rows))
        draw(self.outputs["days_late"], days_late_chart(rows))
        paths = rows["nt_source_path"].drop_nulls()
        notices = (
            self.notices.filter(pl.col("source_path").is_in(paths.implode()))
            if self.notices.height
            else self.notices
        )
        draw(
            self.outputs["reasons"],
            reason_mix_chart(notices) if notices.height else empty_chart("no notice narratives"),
        )
        companies = rows.select(company_key())
        if (self.company.value or "").strip() and companies.n_unique() == 1:
            timeline = company_timeline_chart(rows)
        else:
            timeline = empty_chart("choose one company for its timeline")
        draw(self.outputs["timeline"], timeline)

    @property
    def widget(self) -> widgets.VBox:
        """The whole explorer as one widget."""
        controls = widgets.VBox(
            [self.company, self.years, widgets.HBox([self.report, self.category, self.reason])]
        )
        return widgets.VBox([controls, self.status, *self.outputs.values()])

    def _ipython_display_(self) -> None:
        display(self.widget)
