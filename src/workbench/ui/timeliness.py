"""The timeliness explorer: notices against deadlines, status mix, days late, reasons, and a
company's timeline of due dates and filings. Brushing days late or clicking a status-mix
segment narrows the filings table to exactly those reports."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import polars as pl
from IPython.display import display

from workbench.analytics.companies import company_choices, company_key, ticker_map
from workbench.analytics.timeliness import most_late_first, with_notice_details
from workbench.charts import empty_chart
from workbench.charts.timeliness import (
    company_timeline_chart,
    days_late_chart,
    nt_vs_deadline_chart,
    reason_mix_chart,
    selected,
    status_mix_chart,
)
from workbench.display import company_cell, esc, fmt, source_cell, table
from workbench.sources.edgar_urls import with_filing_index_urls
from workbench.ui import (
    ALL,
    HtmlOutput,
    LiveChart,
    chart_selections,
    company_box,
    dropdown,
    export_bar,
    filtered,
    status_line,
    watch,
    year_range,
)
from workbench.vocab import FILER_CATEGORIES, REASONS, TIMELINESS_STATUSES

#: rows a table shows (the export buttons write every selected row)
_TABLE_ROWS = 25


def _table_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """The filings table's columns, most days late first."""
    return most_late_first(rows).select(
        "company_name", "cik", "report_type", "period_end", "due_date", "nt_filed_date",
        "extended_due_date", "report_filed_date", "days_late",
        pl.col("status").cast(pl.String),
        pl.col("report_accession_number").alias("accession_number"),
        pl.col("report_source_path").alias("source_path"),
    )  # fmt: skip


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
        self.charts = {name: LiveChart(name, self.show_table) for name in names}
        self.table = HtmlOutput("late-table")
        self.export = export_bar(self.late, "late_filings")
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

    def shown(self, rows: pl.DataFrame | None = None) -> tuple[pl.DataFrame, list[str]]:
        """The filings table's rows: the selected reports inside every chart selection when
        there is one, else the late ones; most days late first. With a phrase per chart
        selection."""
        rows = self.selection() if rows is None else rows
        picked = chart_selections(self.charts)
        if picked:
            chosen, said = selected(rows, picked)
        else:
            chosen, said = rows.filter(pl.col("days_late") > 0), []
        return _table_rows(chosen), said

    def late(self, rows: pl.DataFrame | None = None) -> pl.DataFrame:
        """Every row of the filings table (not only the 25 shown), each with its filing on
        EDGAR: what the export buttons write."""
        return with_filing_index_urls(self.shown(rows)[0])

    def late_html(
        self, late: pl.DataFrame, said: list[str] | None = None, n: int = _TABLE_ROWS
    ) -> str:
        """``late`` as a table whose accession numbers link to EDGAR; the caption says how
        many of how many rows it shows, and which chart selection chose them. Links are
        made for the rows shown only."""
        body = [
            [
                company_cell(r["company_name"], r["cik"]),
                esc(r["report_type"]),
                esc(r["period_end"]),
                esc(r["due_date"]),
                esc(fmt(r["nt_filed_date"])),
                esc(fmt(r["extended_due_date"])),
                esc(fmt(r["report_filed_date"])),
                esc(fmt(r["days_late"])),
                esc(TIMELINESS_STATUSES.label(r["status"])),
                source_cell(r["source_path"], r["accession_number"], r["edgar_url"]),
            ]
            for r in with_filing_index_urls(late.head(n)).iter_rows(named=True)
        ]
        what = (
            f"reports selected on the charts ({esc('; '.join(said))})" if said else "late reports"
        )
        return table(
            ["Company", "Report", "Period end", "Due", "NT filed", "Extended to", "Filed",
             "Days late", "Status", "Filing"],
            body, f"{min(n, late.height):,} of {late.height:,} {what}, most days late first "
            "(the export buttons write all of them)",
        )  # fmt: skip

    def show_table(self, rows: pl.DataFrame | None = None) -> None:
        """Redraw the filings table (when a chart selection changes, or the controls do)."""
        self.table.show(self.late_html(*self.shown(rows)))

    def refresh(self, *_: Any) -> None:
        """Redraw the status line and every chart from ``selection()``."""
        rows = self.selection()
        n_nt = rows.filter(pl.col("nt_filed_date").is_not_null()).height
        n_late = rows.filter(pl.col("days_late") > 0).height
        self.status.value = (
            f"<b>{rows.height:,}</b> reports due, <b>{n_nt:,}</b> with a Form 12b-25 notice, "
            f"{n_late:,} filed late"
        )
        self.charts["status"].show(status_mix_chart(rows))
        self.charts["nt_timing"].show(nt_vs_deadline_chart(rows))
        self.charts["days_late"].show(days_late_chart(rows))
        paths = rows["nt_source_path"].drop_nulls()
        notices = (
            self.notices.filter(pl.col("source_path").is_in(paths.implode()))
            if self.notices.height
            else self.notices
        )
        self.charts["reasons"].show(
            reason_mix_chart(notices) if notices.height else empty_chart("no notice narratives")
        )
        companies = rows.select(company_key())
        if (self.company.value or "").strip() and companies.n_unique() == 1:
            timeline = company_timeline_chart(rows)
        else:
            timeline = empty_chart("choose one company for its timeline")
        self.charts["timeline"].show(timeline)
        self.show_table(rows)

    @property
    def widget(self) -> widgets.VBox:
        """The whole explorer as one widget."""
        controls = widgets.VBox(
            [self.company, self.years, widgets.HBox([self.report, self.category, self.reason])]
        )
        return widgets.VBox(
            [controls, self.status, *(c.widget for c in self.charts.values()),
             widgets.HTML("<h4>Filings: the late ones, or those you brush or click on the "
                          "charts</h4>"), self.export, self.table.widget]
        )  # fmt: skip

    def _ipython_display_(self) -> None:
        display(self.widget)
