"""What report notebooks call: open the tables once, then one function per block of output.

Each block is an ``IPython.display`` object, so a template stays a list of calls (no logic a
test cannot reach) and the HTML export carries plain text a reader, a search box or a test
can find. Every figure a block states comes with the filing it was read from: file name,
accession number where there is one, and the character span of the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
from IPython.display import HTML

from workbench.analytics.companies import named_company, ticker_map
from workbench.analytics.timeliness import most_late_first
from workbench.charts import figure_html, live
from workbench.display import chars, company_cell, details, source_cell
from workbench.display import esc as _esc
from workbench.display import fmt as _fmt
from workbench.display import table as _html_table
from workbench.frames.store import snapshot
from workbench.pipeline import open_tables
from workbench.reports.params import CompanyParams, ReportParams
from workbench.sources.companyfacts import STALE_DAYS
from workbench.sources.edgar_urls import filing_index_url
from workbench.sources.index_files import normal_ticker
from workbench.version import __version__
from workbench.vocab import (
    FEE_CHECKS,
    INDEX_SOURCES,
    OFFERING_KINDS,
    PERIOD_END_SOURCES,
    TIMELINESS_STATUSES,
)

_MISSING = {
    "no_cik": "the S-8 carries no CIK (a bare document), so no shares-outstanding figure can "
    "be joined to it",
    "no_shares_outstanding_for_company": "no 10-K/10-Q cover or companyfacts JSON of this "
    "company in the data states its shares outstanding",
    "no_figure_known_before_filing": "every shares-outstanding figure in the data was filed "
    "after this S-8",
    "no_filed_date": "the S-8 has no filing date",
}
#: a period end the filing did not state (from a fiscal year end or the calendar quarter)
_ASSUMED_PERIOD = pl.col("period_end_source").cast(pl.String) != "stated"
#: a list or table longer than this is folded under its key figures (a click opens it)
FOLD_ROWS = 20
_FILED_SOURCE = {
    "signature": "signature date; the file carries no EDGAR filing date",
    "cover": "date on the cover",
    "edgar": "EDGAR filing date",
}


@dataclass(slots=True)
class ReportRun:
    """A report's inputs and provenance: parameters, tables, data hash, version, time."""

    params: ReportParams
    data_dir: Path
    tables: dict[str, pl.LazyFrame]
    data_hash: str
    table_hashes: dict[str, str]
    version: str = __version__
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    is_sample: bool = False


def start(params: ReportParams) -> ReportRun:
    """Open the tables the parameters name (the bundled sample when none), deriving the
    timeliness and dilution tables when the directory has only what ingest wrote; look a
    ticker up as its CIK (in ``run.params``). Any chart a cell shows directly draws without
    a CDN: live from vl-convert's bundle in JupyterLab, static SVG under papermill."""
    is_sample = params.data_dir is None
    data, tables = open_tables(params.data_dir)
    if isinstance(params, CompanyParams) and params.ticker:  # run.params.cik is the ticker's
        cik, company = named_company(ticker_map(tables), params.cik, params.company, params.ticker)
        params = params.model_copy(update={"cik": cik, "company": company})
    if params.interactive:
        alt.renderers.enable("jupyter", offline=True)
    else:
        alt.renderers.enable("svg")
    data_hash, files = snapshot(data)
    return ReportRun(params, data, tables, data_hash, files, is_sample=is_sample)


def chart(run: ReportRun, chart: alt.TopLevelSpec) -> alt.JupyterChart | HTML:
    """A chart as the run shows it. In JupyterLab a live chart (tooltips, zoom) whose
    JavaScript is vl-convert's bundle, not a CDN. Under papermill a figure: the static SVG
    with the chart's one-sentence description as alt text (what prints, and what shows
    without JavaScript) and the spec, which the HTML export draws live."""
    if run.params.interactive:
        return live(chart)
    return HTML(figure_html(chart))


# --- formatting ----------------------------------------------------------------------------


def _span(spans: Sequence[dict[str, Any]] | None, name: str) -> str:
    for s in spans or ():
        if s["field"] == name:
            return chars(s["start"], s["end"])
    return ""


def _with_span(text: str, spans: Sequence[dict[str, Any]] | None, name: str) -> str:
    """A value with the character span it was read from, small, underneath."""
    return f"{_esc(text)}<br><small>{_span(spans, name)}</small>"


def source_label(
    path: str | None, accession: str | None = None, span: str = "", cik: int | None = None
) -> str:
    """The accession number (linked to the filing's index on EDGAR when the CIK is known)
    over the local file name and character span."""
    return source_cell(path, accession, filing_index_url(cik, accession), span)


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], caption: str = "", cls: str = ""
) -> HTML:
    return HTML(_html_table(headers, rows, caption, cls))


def _p(*sentences: str) -> HTML:
    return HTML("".join(f"<p>{s}</p>" for s in sentences))


def _fold_if_long(html: HTML, n: int, what: str) -> HTML:
    """``html`` as it is, or folded under "``what``: n rows (click to open)" when long."""
    if n <= FOLD_ROWS:
        return html
    return HTML(details(f"{what}: {n:,} rows (click to open)", html.data))


def heading(run: ReportRun, title: str) -> HTML:
    """The title with who and which data it is about."""
    who = _who(run.params)
    data = "the bundled sample (Innovo Group seed filings)" if run.is_sample else str(run.data_dir)
    return HTML(f"<h2>{_esc(title)}{_esc(who)}</h2><p>Data: {_esc(data)}</p>")


def _who(params: ReportParams) -> str:
    cik = getattr(params, "cik", None)
    company = getattr(params, "company", None)
    ticker = getattr(params, "ticker", None)
    if cik is not None:
        return f": CIK {cik}" + (f" ({normal_ticker(ticker)})" if ticker else "")
    return f": companies matching “{company}”" if company else ""


# --- dilution ------------------------------------------------------------------------------


def dilution_summary(registrations: pl.DataFrame) -> HTML:
    """What was registered, and plainly whether a dilution ratio could be computed."""
    if not registrations.height:
        return _p("No S-8 registrations for this company in the data.")
    n_filings = registrations["source_path"].n_unique()
    shares = int(registrations["shares_registered"].sum())
    fees = registrations["registration_fee"].sum()
    names = ", ".join(sorted(set(registrations["company_name"].drop_nulls())))
    first, last = (str(registrations["filed_date"].min()), str(registrations["filed_date"].max()))
    out = [
        f"{_esc(names)}: {n_filings} S-8 filing(s) between {first} and {last} registered "
        f"<b>{shares:,} shares</b> for employee plans, with <b>{_fmt(fees, 'money')}</b> in "
        "registration fees."
    ]
    missing = registrations.filter(pl.col("dilution_pct").is_null())
    if missing.height:
        reasons = sorted(set(missing["denominator_missing_reason"].drop_nulls().cast(pl.String)))
        why = "; ".join(_MISSING.get(r, r) for r in reasons)
        out.append(
            f"<b>Shares outstanding are not in the data for {missing.height} of "
            f"{registrations.height} registration row(s)</b>, so no dilution ratio is "
            f"shown for them: {_esc(why)}. Ingest the company's 10-K/10-Q filings or its "
            "companyfacts JSON to add the denominator."
        )
    return _p(*out)


def dilution_exceptions(registrations: pl.DataFrame) -> HTML:
    """The rows a reader must look at first: a fee that does not match the SEC rate, an
    aggregate that is not shares × price, a shares-outstanding figure more than a year
    older than the S-8. Each with its filing."""
    if not registrations.height:
        return _p("")
    found = []
    for r in registrations.iter_rows(named=True):
        issues = []
        if r["fee_check"] in ("mismatch", "rate_unknown"):
            issues.append(
                f"Fee check: {FEE_CHECKS.label(r['fee_check'])} (stated "
                f"{_fmt(r['registration_fee'], 'money')}; rate "
                f"${_fmt(r.get('fee_rate_per_million_expected'))} per million)"
            )
        if r.get("aggregate_check") == "mismatch":
            issues.append(
                f"Aggregate price {_fmt(r.get('max_aggregate_offering_price'), 'money')} is not "
                f"shares × price ({_fmt(r['shares_registered'])} × "
                f"{_fmt(r.get('max_price_per_share'), 'price')})"
            )
        age = r.get("denominator_age_days")
        if age is not None and age > STALE_DAYS:
            issues.append(
                f"Stale denominator: shares outstanding as of {r['denominator_as_of_date']}, "
                f"{age:,} days before the S-8"
            )
        for issue in issues:
            found.append([
                company_cell(r["company_name"], r["cik"]), _esc(r["filed_date"]), _esc(issue),
                source_label(r["source_path"], r["accession_number"], cik=r["cik"]),
            ])  # fmt: skip
    if not found:
        return _p(
            "<b>No exceptions:</b> every stated fee matches the SEC rate in force (exactly or "
            "rounded), every aggregate is shares × price where both are stated, and no "
            f"shares-outstanding figure is more than {STALE_DAYS} days older than its S-8."
        )
    return _fold_if_long(
        _table(["Company", "Filed", "Exception", "Source filing"], found,
               f"Exceptions: {len(found):,} to check first"),
        len(found), "Exceptions",
    )  # fmt: skip


def registrations_table(registrations: pl.DataFrame) -> HTML:
    """One line per fee-table row with each figure's source (folded when long)."""
    return _fold_if_long(_registrations_table(registrations), registrations.height,
                         "S-8 registrations")  # fmt: skip


def _registrations_table(registrations: pl.DataFrame) -> HTML:
    rows = []
    for r in registrations.iter_rows(named=True):
        spans = r.get("spans")
        src = source_label(r["source_path"], r["accession_number"], cik=r["cik"])
        ratio = (
            f"{_fmt(r['dilution_pct'], 'pct')} of {_fmt(r['shares_outstanding'])} "
            f"(as of {r['denominator_as_of_date']}, {r['denominator_source']})"
            if r["dilution_pct"] is not None
            else "not computed: shares outstanding not in the data"
        )
        rows.append(
            [
                company_cell(r["company_name"], r["cik"]),
                _esc(r["filed_date"]),
                _esc(r.get("form_type") or "S-8"),
                _esc(_fmt(r["plan_names"])),
                _esc(r["security_title"] or "—"),
                _with_span(_fmt(r["shares_registered"]), spans, "shares_registered"),
                _with_span(
                    _fmt(r.get("max_price_per_share"), "price"), spans, "max_price_per_share"
                ),
                _with_span(
                    _fmt(r.get("max_aggregate_offering_price"), "money"),
                    spans,
                    "max_aggregate_offering_price",
                ),
                _with_span(_fmt(r["registration_fee"], "money"), spans, "registration_fee"),
                _esc(
                    f"{FEE_CHECKS.label(r['fee_check']) if r['fee_check'] else '–'} (expected "
                    f"rate ${r.get('fee_rate_per_million_expected')}/M)"
                ),
                _esc(ratio),
                src,
            ]
        )
    return _table(
        ["Company", "Filed", "Form", "Plan", "Security", "Shares registered", "Max price/share",
         "Max aggregate", "Fee", "Fee check", "Dilution", "Source filing"],
        rows, "S-8 registrations (figures with their character spans in the source file)",
    )  # fmt: skip


def plan_table(registrations: pl.DataFrame) -> HTML:
    """Plan pools and limits the S-8 text states, with sources."""
    rows = []
    for r in registrations.unique("source_path", maintain_order=True).iter_rows(named=True):
        spans = r.get("filing_spans")
        rows.append(
            [
                company_cell(r["company_name"], r["cik"]),
                _esc(r["filed_date"]),
                _with_span(_fmt(r["plan_names"]), spans, "plan_names"),
                _with_span(_fmt(r["plan_shares_before"]), spans, "plan_shares_before"),
                _with_span(_fmt(r["plan_shares_after"]), spans, "plan_shares_after"),
                _with_span(_fmt(r.get("per_person_limit")), spans, "per_person_limit"),
                _with_span(
                    _fmt(r.get("prior_registration_numbers")), spans, "prior_registration_numbers"
                ),
                source_label(r["source_path"], r["accession_number"], cik=r["cik"]),
            ]
        )
    return _table(
        ["Company", "Filed", "Plan", "Pool before", "Pool after", "Per-person limit",
         "Earlier registrations", "Source filing"],
        rows, "Plan pools",
    )  # fmt: skip


# --- timeliness ----------------------------------------------------------------------------


def period_sentence(r: dict[str, Any]) -> str:
    """One report due, in words: due date, notice, extension, and when the report came."""
    text = f"{r['report_type']} for the period ended {r['period_end']}: due {r['due_date']}"
    if r["nt_filed_date"] is not None:
        how = _FILED_SOURCE.get(r.get("nt_filed_date_source") or "edgar", "")
        text += (
            f"; NT {r['report_type']} filed {r['nt_filed_date']} ({how}), notice deadline "
            f"{r['nt_deadline']}; extended to {r['extended_due_date']}"
        )
    else:
        text += f"; no Form 12b-25 notice in the data (notice deadline was {r['nt_deadline']})"
    if r["report_filed_date"] is not None:
        late = r["days_late"]
        when = f"{late} days after the due date" if late and late > 0 else "on time"
        text += f"; report filed {r['report_filed_date']} ({when})"
    else:
        text += "; the report itself is not in the data"
    return text + f". Status: {TIMELINESS_STATUSES.label(str(r['status']))}."


def timeliness_key_figures(periods: pl.DataFrame) -> HTML:
    """The counts a reader wants first: reports due by type, on time, late, cured by an
    extension, missing, and notices."""
    if not periods.height:
        return _p("No periodic reports or notices for this company in the data.")
    status = pl.col("status").cast(pl.String)
    by_type = periods.group_by("report_type").len().sort("report_type")
    types = ", ".join(f"{r['report_type']}: {r['len']:,}" for r in by_type.iter_rows(named=True))
    on_time = periods.filter(status == "on_time").height
    late = periods.filter(pl.col("days_late") > 0)
    cured = late.filter(status == "late_cured").height
    missing = periods.filter(status == "not_filed_yet").height
    notices = periods.filter(pl.col("nt_filed_date").is_not_null()).height
    return _p(
        f"<b>{periods.height:,} report{'' if periods.height == 1 else 's'} due</b> "
        f"({_esc(types)}) from "
        f"{periods['due_date'].min()!s} to {periods['due_date'].max()!s}: "
        f"<b>{on_time:,} on time</b> ({on_time / periods.height:.0%}), "
        f"<b>{late.height:,} filed late</b> ({cured:,} of them within a Form 12b-25 "
        f"extension), {missing:,} not in the data; {notices:,} Form 12b-25 notice(s)."
    )


def timeliness_exceptions(periods: pl.DataFrame) -> HTML:
    """Every report not filed on time, most days late first, as a sentence with its
    filings: what a reader looks at before the full list."""
    if not periods.height:
        return _p("")
    odd = most_late_first(periods.filter(pl.col("status").cast(pl.String) != "on_time"))
    if not odd.height:
        return _p("<b>No exceptions:</b> every report due in the data was filed by its due date.")
    rows = [
        [
            company_cell(r["company_name"], r["cik"]),
            _esc(period_sentence(r)),
            source_label(r["nt_source_path"], r["nt_accession_number"], cik=r["cik"]),
            source_label(r["report_source_path"], r["report_accession_number"], cik=r["cik"]),
        ]
        for r in odd.iter_rows(named=True)
    ]
    return _fold_if_long(
        _table(["Company", "Report", "Notice source", "Report source"], rows,
               f"Exceptions: {odd.height:,} report(s) not filed on time, most days late first"),
        odd.height, "Exceptions",
    )  # fmt: skip


def timeliness_summary(periods: pl.DataFrame) -> HTML:
    """Each report due, as a sentence, with the deadline rule and the category used
    (folded when long)."""
    if not periods.height:
        return _p("No periodic reports or notices for this company in the data.")
    items = []
    for r in periods.iter_rows(named=True):
        basis = f"{r['deadline_rule']}; filer category {r['filer_category']} ({r['filer_category_source']})"
        items.append(f"<li>{_esc(period_sentence(r))}<br><small>{_esc(basis)}</small></li>")
    listing = HTML("<ul class='wb-periods'>" + "".join(items) + "</ul>")
    return _fold_if_long(listing, periods.height, "Every report due, one sentence each")


def periods_table(periods: pl.DataFrame) -> HTML:
    """The panel rows with the filings they came from (folded when long)."""
    return _fold_if_long(_periods_table(periods), periods.height, "Reports due")


def _periods_table(periods: pl.DataFrame) -> HTML:
    rows = []
    for r in periods.iter_rows(named=True):
        rows.append(
            [
                company_cell(r["company_name"], r["cik"]),
                _esc(r["report_type"]),
                _esc(f"{r['period_end']} ({r['period_end_source']})"),
                _esc(r["due_date"]),
                _esc(_fmt(r["nt_filed_date"])),
                _esc(r["nt_deadline"]),
                _esc(r["extended_due_date"]),
                _esc(_fmt(r["report_filed_date"])),
                _esc(_fmt(r["days_late"])),
                _esc(TIMELINESS_STATUSES.label(str(r["status"]))),
                source_label(r["nt_source_path"], r["nt_accession_number"], cik=r["cik"]),
                source_label(r["report_source_path"], r["report_accession_number"], cik=r["cik"]),
            ]
        )
    return _table(
        ["Company", "Report", "Period end", "Due", "NT filed", "NT deadline", "Extended to",
         "Report filed", "Days late", "Status", "Notice source", "Report source"],
        rows, "Reports due",
    )  # fmt: skip


def notices_table(periods: pl.DataFrame) -> HTML:
    """What each ingested notice said: reasons, expected date, narrative, with spans."""
    rows = []
    for r in periods.filter(pl.col("nt_narrative").is_not_null()).iter_rows(named=True):
        spans = r["nt_spans"]
        narrative = r["nt_narrative"]
        short = narrative if len(narrative) <= 600 else narrative[:600] + "…"
        rows.append(
            [
                company_cell(r["company_name"], r["cik"]),
                _esc(f"{r['report_type']} {r['period_end']}"),
                _esc(_fmt(r["nt_reason_labels"])),
                _with_span(_fmt(r["nt_expected_filing_date"]), spans, "expected_filing_date"),
                _with_span(short, spans, "narrative"),
                source_label(r["nt_source_path"], r["nt_accession_number"], cik=r["cik"]),
            ]
        )
    if not rows:
        n_notices = periods.filter(pl.col("nt_filed_date").is_not_null()).height
        if not n_notices:
            return _p("No Form 12b-25 notices for the reports shown.")
        return _p(
            f"{n_notices} Form 12b-25 notice(s) are known only from index files or submissions "
            "JSON, which carry no text. Ingest the notice filings themselves to read their "
            "reasons."
        )
    return _table(
        ["Company", "Report", "Reasons", "Expected filing", "Part III narrative", "Source filing"],
        rows, "Form 12b-25 notices",
    )  # fmt: skip


def status_table(panel: pl.DataFrame) -> HTML:
    """Counts and shares of each status, by report type."""
    if not panel.height:
        return _p("No reports due in the selected range.")
    counts = (
        panel.group_by("report_type", pl.col("status").cast(pl.String))
        .len("reports")
        .with_columns(
            (pl.col("reports") / pl.col("reports").sum().over("report_type") * 100).alias("pct")
        )
        .sort("report_type", "reports", descending=[False, True])
    )
    rows = [
        [_esc(r["report_type"]), _esc(TIMELINESS_STATUSES.label(r["status"])),
         _fmt(r["reports"]), _fmt(r["pct"], "pct")]
        for r in counts.iter_rows(named=True)
    ]  # fmt: skip
    n_nt = panel.filter(pl.col("nt_filed_date").is_not_null()).height
    lead = _p(
        f"{panel.height:,} reports due from {panel['due_date'].min()!s} to "
        f"{panel['due_date'].max()!s}; {n_nt:,} with a Form 12b-25 notice. Sources: "
        f"{panel['nt_source_path'].n_unique() + panel['report_source_path'].n_unique():,} "
        "index files, JSON files or ingested filings (listed in the timeliness table's "
        "nt_source_path and report_source_path columns)."
    )
    assumed = panel.filter(_ASSUMED_PERIOD)
    if assumed.height:
        late = assumed.filter(pl.col("days_late") > 0).height
        lead = HTML(
            lead.data
            + _p(
                f"<b>{assumed.height:,} of the {panel.height:,} period ends are assumed, not "
                f"stated</b> (from a fiscal year end or the calendar quarter; index files "
                f"carry no period), and so are the due dates of {late:,} of the late reports. "
                "A company whose quarters are not calendar quarters can look late when it was "
                "not; the companies' submissions JSON states each period."
            ).data
        )
    return HTML(lead.data + _table(["Report", "Status", "Reports", "Share"], rows).data)


def latest_reports(panel: pl.DataFrame, n: int = 10) -> HTML:
    """The ``n`` reports filed longest after their due date, each with its filing: the
    market's exceptions, named."""
    late = most_late_first(panel.filter(pl.col("days_late") > 0))
    if not late.height:
        return _p("No report in the range was filed after its due date.")
    shown = late.head(n)
    guessed = shown.filter(_ASSUMED_PERIOD).height
    rows = [
        [company_cell(r["company_name"], r["cik"]), _esc(r["report_type"]),
         f"{_esc(r['period_end'])}<br><small>"
         f"{_esc(PERIOD_END_SOURCES.label(str(r['period_end_source'])))}</small>",
         _esc(r["due_date"]), _esc(_fmt(r["nt_filed_date"])),
         _esc(r["report_filed_date"]), _fmt(r["days_late"]),
         _esc(TIMELINESS_STATUSES.label(str(r["status"]))),
         source_label(r["report_source_path"], r["report_accession_number"], cik=r["cik"])]
        for r in shown.iter_rows(named=True)
    ]  # fmt: skip
    table = _table(
        ["Company", "Report", "Period end", "Due", "NT filed", "Filed", "Days late", "Status",
         "Report source"],
        rows, f"The {shown.height} latest of {late.height:,} late reports",
    )  # fmt: skip
    if not guessed:
        return table
    return HTML(
        table.data
        + _p(
            f"<b>{guessed} of these {shown.height} period ends are not stated but assumed</b> "
            "(index files carry no period): a company whose fiscal quarters are not calendar "
            "quarters can look late when it was not. Check those against the filing, or add "
            "the companies' submissions JSON, which states each period."
        ).data
    )


def _source_description(code: str) -> str:
    return INDEX_SOURCES.description(code) if code in INDEX_SOURCES else ""


#: fewer daily index files than this (and no quarterly one), and a market figure is thin
THIN_DAYS = 60


def coverage_table(coverage: pl.DataFrame) -> HTML:
    """What the figures above stand on (``analytics.timeliness.data_coverage``), and a
    plain warning when that is a few days of index files rather than the market."""
    if not coverage.height or "filings" not in coverage.columns:
        return _p("<b>The sources of these figures are not in the data's filings index.</b>")
    rows = [
        [f"{_esc(INDEX_SOURCES.label(r['index_source']))}<br>"
         f"<small>{_esc(_source_description(r['index_source']))}</small>", _fmt(r["files"]),
         _fmt(r["daily_files"]), _fmt(r["quarterly_files"]), _fmt(r["filings"]),
         _esc(f"{r['first_filed']} to {r['last_filed']}"), _fmt(r["companies"])]
        for r in coverage.iter_rows(named=True)
    ]  # fmt: skip
    table = _table(
        ["Source", "Files", "Daily files (days)", "Quarterly files", "Filings listed",
         "Filed", "Companies"],
        rows, "What these figures stand on", "wb-coverage",
    )  # fmt: skip
    index = coverage.filter(pl.col("index_source").str.starts_with("index_"))
    days = int(index["daily_files"].sum()) if index.height else 0
    quarters = int(index["quarterly_files"].sum()) if index.height else 0
    histories = coverage.filter(pl.col("index_source") == "submissions_json")
    note = []
    if index.height and quarters == 0 and days < THIN_DAYS:
        note.append(
            f"<b>A thin base: the index files behind these figures are {days} daily "
            f"file(s), no whole quarter.</b> Shares above describe the companies that filed "
            "on those days, not the market; fetch whole quarters (<code>workbench fetch-index</code>) "
            "for market rates."
        )
    if histories.height:
        n = int(histories["companies"].sum())
        note.append(
            f"{n} compan{'y' if n == 1 else 'ies'} come with a whole filing history "
            "(submissions JSON), so their reports count in every period, while a company "
            "known from index files counts only on the days those files list."
        )
    return HTML(table.data + _p(*note).data if note else table.data)


# --- market dilution -----------------------------------------------------------------------


def market_dilution_key_figures(rows: pl.DataFrame) -> HTML:
    """Filings, companies and shares per offering kind, and how many rows have a ratio."""
    if not rows.height:
        return _p("<b>No registration in the data for this period.</b> Fetch the period's "
                  "filings first: <code>workbench fetch --forms \"S-8,S-3,424B5\" --from "
                  "... --to ...</code>.")  # fmt: skip
    parts = []
    for kind in OFFERING_KINDS:
        sub = rows.filter(pl.col("offering_kind").cast(pl.String) == kind)
        if sub.height:
            n_filings, n_companies = sub["accession_number"].n_unique(), sub["cik"].n_unique()
            parts.append(
                f"{_esc(OFFERING_KINDS.label(kind))}: {n_filings:,} filing{'s' * (n_filings != 1)}"
                f" by {n_companies:,} compan{'ies' if n_companies != 1 else 'y'}, "
                f"{int(sub['shares_registered'].sum()):,} shares"
            )
    with_ratio = int(rows["dilution_pct"].is_not_null().sum())
    note = (f"{with_ratio:,} of {rows.height:,} fee-table rows have a shares-outstanding "
            "figure known before their filing date; the others have no ratio (see "
            "<code>denominator_missing_reason</code>).")  # fmt: skip
    return _p("; ".join(parts) + ".", note,
              "Kinds are never added together: a shelf and its takedowns register the same "
              "shares twice, and a resale registers shares that may already be out.")  # fmt: skip


def market_dilution_by_year(table: pl.DataFrame) -> HTML:
    """``analytics.dilution.by_year_and_kind`` as a table."""
    rows = [
        [str(r["year"]), _esc(OFFERING_KINDS.label(r["offering_kind"])), _fmt(r["filings"]),
         _fmt(r["companies"]), _fmt(r["shares_registered"]), _fmt(r["with_denominator"]),
         _fmt(r["median_dilution_pct"], "pct"), _fmt(r["p90_dilution_pct"], "pct")]
        for r in table.iter_rows(named=True)
    ]  # fmt: skip
    html = _table(["Year", "Kind", "Filings", "Companies", "Shares registered",
                   "Rows with a ratio", "Median dilution", "90th percentile"],
                  rows, "Registrations and dilution by year")  # fmt: skip
    return _fold_if_long(html, table.height, "Registrations by year")


def market_dilution_by_industry(table: pl.DataFrame) -> HTML:
    """``analytics.dilution.by_industry`` as a table."""
    rows = [
        [("" if r["sic_major_group"] is None else f"{r['sic_major_group']:02d}"),
         _esc(OFFERING_KINDS.label(r["offering_kind"])), _fmt(r["filings"]),
         _fmt(r["companies"]), _fmt(r["shares_registered"]), _fmt(r["median_dilution_pct"], "pct")]
        for r in table.iter_rows(named=True)
    ]  # fmt: skip
    html = _table(["SIC major group", "Kind", "Filings", "Companies", "Shares registered",
                   "Median dilution"], rows, "By industry (first two digits of the SIC code "
                  "in the filing's header; blank: none stated)")  # fmt: skip
    return _fold_if_long(html, table.height, "By industry")


def largest_registrants_table(table: pl.DataFrame) -> HTML:
    """``analytics.dilution.largest_registrants`` with each company's filings linked."""
    rows = [
        [_esc(r["company_name"] or ""), str(r["cik"] or ""),
         _esc(OFFERING_KINDS.label(r["offering_kind"])), _fmt(r["shares_registered"]),
         _fmt(r["dilution_pct_sum"], "pct"), _fmt(r["latest_ttm_dilution_pct"], "pct"),
         "<br>".join(source_label(None, a, cik=r["cik"]) for a in r["accession_numbers"])]
        for r in table.iter_rows(named=True)
    ]  # fmt: skip
    return _table(["Company", "CIK", "Kind", "Shares registered", "Dilution (sum)",
                   "Latest 12-month rate", "Filings"], rows, "Largest registrants")  # fmt: skip


# --- provenance ----------------------------------------------------------------------------


def provenance(run: ReportRun) -> HTML:
    """Parameters, data directory and hashes, package version and time of the run."""
    params = run.params.model_dump(mode="json")
    rows = [[_esc(k), _esc(v)] for k, v in params.items()]
    rows += [
        ["data directory", _esc(run.data_dir)],
        ["data snapshot sha256", f"<code>{_esc(run.data_hash)}</code>"],
        ["workbench version", _esc(run.version)],
        ["run at (UTC)", _esc(run.started.strftime("%Y-%m-%d %H:%M:%S"))],
    ]
    rows += [
        [f"table {_esc(k)}", f"<code>{_esc(v[:16])}…</code>"] for k, v in run.table_hashes.items()
    ]
    return HTML(
        "<h2>Provenance</h2>"
        + _table(["item", "value"], rows, "What this report was made from", "wb-provenance").data
    )
