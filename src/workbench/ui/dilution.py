"""The dilution explorer: S-8 registrations over time, plan pools, fee checks, largest rows.
Brushing filing dates on the registrations chart narrows the table to those filings."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import polars as pl
from IPython.display import display

from workbench.analytics.companies import company_choices, company_key, ticker_map
from workbench.analytics.dilution import registrations_detail
from workbench.charts.dilution import (
    fee_check_chart,
    plan_pool_chart,
    registrations_chart,
    selected,
)
from workbench.display import company_cell, esc, fmt, source_cell, table
from workbench.sources.edgar_urls import with_filing_index_urls
from workbench.ui import (
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
from workbench.vocab import FEE_CHECKS

#: columns of the largest-registrations table and how they sort
SORT_COLUMNS = {"shares registered": "shares_registered", "fee": "registration_fee",
                "dilution %": "dilution_pct", "filed": "filed_date"}  # fmt: skip


#: columns of the registrations table (and of its export, with ``edgar_url``)
TABLE_COLUMNS = ("company_name", "cik", "filed_date", "form_type", "security_title",
                 "shares_registered", "registration_fee", "fee_check", "dilution_pct",
                 "accession_number", "source_path")  # fmt: skip


class DilutionExplorer:
    """Controls (company, years, form, fee check, sort) over every S-8 row in the tables."""

    def __init__(self, tables: dict[str, pl.LazyFrame]) -> None:
        self.rows = registrations_detail(tables)
        self.tickers = ticker_map(tables)
        self.company = company_box(company_choices({k: v for k, v in tables.items()
                                                    if k == "offerings"}))  # fmt: skip
        self.years = year_range(self.rows["filed_date"], "Filed")
        forms = sorted(set(self.rows["form_type"].drop_nulls().to_list()))
        self.form = dropdown(forms, "Form")
        self.fee_check = dropdown(FEE_CHECKS.options(), "Fee check")
        self.sort_by = widgets.Dropdown(options=list(SORT_COLUMNS), description="Sort by")
        self.status = status_line()
        self.charts = {name: LiveChart(name, self.show_table)
                       for name in ("registrations", "pool", "fees")}  # fmt: skip
        self.table = HtmlOutput("table")
        self.export = export_bar(lambda: self.largest(n=None), "registrations")
        watch([self.company, self.years, self.form, self.fee_check], self.refresh)
        self.sort_by.observe(lambda _: self.show_table(), names="value")
        self.refresh()

    def selection(self) -> pl.DataFrame:
        """The rows the controls select."""
        return filtered(
            self.rows,
            company=self.company.value or "",
            years=self.years.value,
            date_column="filed_date",
            tickers=self.tickers,
            choices={"form_type": self.form.value, "fee_check": self.fee_check.value},
        )

    def shown(self, rows: pl.DataFrame | None = None) -> tuple[pl.DataFrame, list[str]]:
        """The selected rows inside every chart selection, and a phrase for each one."""
        rows = self.selection() if rows is None else rows
        return selected(rows, chart_selections(self.charts))

    def largest(self, rows: pl.DataFrame | None = None, n: int | None = 25) -> pl.DataFrame:
        """The table's rows (the selection, narrowed by any brush) sorted by the chosen
        column (the top ``n``; every row when ``n`` is None, as the export buttons write
        them), each with its company, its filing on EDGAR and its local source file."""
        rows = self.shown()[0] if rows is None else rows
        column = SORT_COLUMNS[self.sort_by.value]
        ordered = rows.sort(column, descending=True, nulls_last=True)
        shown = ordered if n is None else ordered.head(n)
        return with_filing_index_urls(shown.select(TABLE_COLUMNS))

    def largest_html(self, rows: pl.DataFrame, said: list[str] | None = None, n: int = 25) -> str:
        """``largest`` as a table whose accession numbers link to EDGAR; the caption names
        any chart selection."""
        body = [
            [
                company_cell(r["company_name"], r["cik"]),
                esc(fmt(r["filed_date"])),
                esc(fmt(r["form_type"])),
                esc(fmt(r["security_title"])),
                esc(fmt(r["shares_registered"])),
                esc(fmt(r["registration_fee"], "money")),
                esc(FEE_CHECKS.label(r["fee_check"]) if r["fee_check"] else "–"),
                esc(fmt(r["dilution_pct"], "pct")),
                source_cell(r["source_path"], r["accession_number"], r["edgar_url"]),
            ]
            for r in self.largest(rows, n).iter_rows(named=True)
        ]
        what = f"rows brushed on the chart ({esc('; '.join(said))})" if said else "rows"
        return table(
            ["Company", "Filed", "Form", "Security", "Shares registered", "Fee", "Fee check",
             "Dilution", "Filing"],
            body, f"{min(n, rows.height)} of {rows.height:,} {what}, by {self.sort_by.value} "
            "(the export buttons write all of them)",
        )  # fmt: skip

    def show_table(self) -> None:
        """Redraw the table (when a brush, the sort or the controls change)."""
        self.table.show(self.largest_html(*self.shown()))

    def refresh(self, *_: Any) -> None:
        """Redraw the status line, every chart and the table from ``selection()``."""
        rows = self.selection()
        n_co = rows.select(company_key()).n_unique()
        shares = int(rows["shares_registered"].sum() or 0)
        self.status.value = (
            f"<b>{rows.height:,}</b> fee-table rows from <b>{n_co:,}</b> companies: "
            f"{shares:,} shares registered, ${rows['registration_fee'].sum() or 0:,.2f} in fees"
        )
        self.charts["registrations"].show(registrations_chart(rows))
        self.charts["pool"].show(plan_pool_chart(rows))
        self.charts["fees"].show(fee_check_chart(rows))
        self.show_table()

    @property
    def widget(self) -> widgets.VBox:
        """The whole explorer as one widget."""
        controls = widgets.VBox(
            [self.company, self.years, widgets.HBox([self.form, self.fee_check])]
        )
        return widgets.VBox(
            [
                controls, self.status, *(c.widget for c in self.charts.values()),
                widgets.HTML("<h4>Largest registrations (brush filing dates on the chart to "
                             "narrow them)</h4>"),
                self.sort_by, self.export, self.table.widget,
            ]
        )  # fmt: skip

    def _ipython_display_(self) -> None:
        display(self.widget)
