"""``workbench`` command line: each command parses options, calls one API function, prints."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import polars as pl

from workbench.analytics.companies import company_filter, named_company, ticker_map
from workbench.analytics.deadlines import due_dates
from workbench.analytics.dilution import dilution_table
from workbench.errors import ReportExecutionError, SourceError, ValidationError, WorkbenchError
from workbench.forms.registry import documents_read
from workbench.frames.filings_index import build_index
from workbench.frames.ingest import IngestResult, ingest_to_dir
from workbench.frames.store import write_table
from workbench.pipeline import derive_tables, open_tables, write_timeliness
from workbench.reports.params import REPORTS, report_listing
from workbench.reports.run import (
    EXPLORERS,
    check_company,
    copy_notebooks,
    read_batch,
    run_batch,
    run_report,
)
from workbench.reports.summary import write_summary
from workbench.sample import sample_paths
from workbench.sources.edgar import (
    EdgarClient,
    fetch_documents,
    filings_listed,
    index_files,
    submissions_pages,
)
from workbench.sources.edgar_urls import (
    archive_path,
    company_tickers_path,
    companyfacts_path,
    companyfacts_zip_path,
    frames_path,
    full_index_path,
    submissions_path,
)
from workbench.sources.index_files import filings_in_index
from workbench.version import __version__
from workbench.vocab import FILER_CATEGORIES

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _clean(text: object) -> str:
    """Text from filings, file names or servers made safe for a terminal: control and
    bidi-override characters (an escape sequence can rewrite the screen, a newline forge a
    line) are shown escaped (``\x1b`` as ``\\x1b``)."""
    return _CONTROL.sub(_escape, str(text))


def _said(exc: WorkbenchError) -> str:
    """An error's message and what to do about it, for a usage error."""
    return exc.message + (f" — {exc.suggestion}" if exc.suggestion else "")


def _print_summary(result: IngestResult, out: Path, as_json: bool) -> None:
    issues = result.parse_issues
    by_form = (
        result.filings.group_by("form_type").len().sort("len", descending=True).iter_rows()
        if result.filings.height
        else []
    )
    summary: dict[str, Any] = {
        "inputs": result.n_inputs,
        "skipped_already_ingested": result.n_skipped,
        "parsed": result.filings.height,
        "documents": result.documents.height,
        "files_failed": result.n_errors,
        "errors": issues.filter(pl.col("severity") == "error").height,
        "warnings": issues.filter(pl.col("severity") == "warning").height,
        "by_form_type": {str(k): v for k, v in by_form},
        "out": str(out),
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(
        f"{summary['inputs']} input files: {summary['parsed']} parsed, "
        f"{summary['skipped_already_ingested']} already ingested, "
        f"{summary['files_failed']} failed; {summary['documents']} documents; "
        f"{summary['errors']} errors, {summary['warnings']} warnings"
    )
    for form, n in summary["by_form_type"].items():
        click.echo(f"  {_clean(form):<12} {n}")
    if issues.height:
        for row in issues.head(20).iter_rows(named=True):
            where, message = _clean(row["source_path"]), _clean(row["message"])
            click.echo(f"  {row['severity']:<7} {row['code']:<24} {where}: {message}")
        if issues.height > 20:
            click.echo(f"  ... {issues.height - 20} more in parse_issues.parquet")
    click.echo(f"tables written to {out}")


def _sample_note(what: str) -> None:
    """Said on stderr every time: a forgotten --data must not pass for real data."""
    click.echo(
        f"note: no --data given, so {what} on the bundled sample (the Innovo Group seed "
        "filings); pass --data DIR for your own tables",
        err=True,
    )


class _Group(click.Group):
    """Every error the workbench raises on purpose (a busy or read-only store, a source
    that cannot be read...) ends as one clear line and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            click.echo(f"error: {_clean(exc)}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="workbench")
def main() -> None:
    """Filings Workbench: EDGAR filings into Parquet tables, reports and charts."""


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help="Table directory."
)
@click.option("--workers", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest_cmd(paths: tuple[Path, ...], out: Path, workers: int | None, as_json: bool) -> None:
    """Parse EDGAR files (or directories, recursively) into Parquet tables in OUT.

    Files already in OUT (same sha256) are skipped. Exits 0 when every input file is
    accounted for: a filings row, or an error row in parse_issues.
    """
    result = ingest_to_dir(paths, out, workers=workers, progress=None)
    _print_summary(result, out, as_json)


@main.command("sample")
@click.option(
    "--data",
    "data",
    default=Path("data/sample"),
    type=click.Path(path_type=Path),
    show_default=True,
    help="Where the sample tables go.",
)
@click.option(
    "--out",
    "out",
    default=Path("reports"),
    type=click.Path(path_type=Path),
    show_default=True,
    help="Where the report files go.",
)
def sample_cmd(data: Path, out: Path) -> None:
    """The main job on the bundled sample: ingest the seed filings, derive the tables and
    render the company_dilution and company_timeliness reports for Innovo Group."""
    result = ingest_to_dir(sample_paths(), data, progress=None)
    _print_summary(result, data, as_json=False)
    derive_tables(data)
    page = write_summary(data, out / "sample" / "ingest_summary.html")
    click.echo(f"ingest summary: {page.resolve()}")
    failed = False
    for name in ("company_dilution", "company_timeliness"):
        try:
            report = run_report(name, {"company": "Innovo Group"}, out, data_dir=data)
        except ReportExecutionError as exc:
            failed = True
            click.echo(f"{name} failed: {_clean(exc.message)}", err=True)
            continue
        click.echo(f"{name}: {Path(report.html_path).resolve()} ({report.seconds:.1f} s)")
    click.echo(f"index: {(out / 'index.html').resolve()}")
    if failed:
        sys.exit(1)


@main.command("deadline")
@click.option(
    "--form",
    "form_type",
    required=True,
    help="10-K, 10-Q, 20-F, 40-F, 11-K, 10-KT, 10-QT, N-CSR, N-CEN, 10-D.",
)
@click.option("--period-end", required=True, help="Period end, YYYY-MM-DD.")
@click.option(
    "--filer-category",
    default="unknown",
    show_default=True,
    type=click.Choice(list(FILER_CATEGORIES)),
    help="Filer status; unknown lists every candidate.",
)
@click.option(
    "--registration-effective", default=None, metavar="YYYY-MM-DD",
    help="The report is the first after a registration statement went effective that day "
    "(Rules 13a-13/15d-13, 15d-2).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print ISO dates as JSON.")
def deadline_cmd(
    form_type: str, period_end: str, filer_category: str, registration_effective: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Due date, Form 12b-25 deadline and extended due date of a periodic report."""
    try:
        due = due_dates(
            form_type, dt.date.fromisoformat(period_end), filer_category,
            registration_effective=registration_effective,
        )  # fmt: skip
    except ValueError as exc:  # ValidationError, or a malformed date
        raise click.BadParameter(str(exc)) from exc
    rows = due.candidates or (due,)
    if as_json:
        if due.candidates:
            click.echo(json.dumps({c.filer_category: c.as_dict() for c in rows}, indent=2))
        else:
            click.echo(json.dumps(due.as_dict()))
        return
    click.echo(f"{due.report_type} for the period ended {due.period_end.isoformat()}")
    for c in rows:
        click.echo(
            f"  {c.filer_category:<18} due {c.due_date}  NT by {c.nt_deadline}  "
            f"extended to {c.extended_due_date}  ({c.deadline_rule})"
        )


@main.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help="Table directory."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def index_cmd(paths: tuple[Path, ...], out: Path, as_json: bool) -> None:
    """Read EDGAR index files (form/master/company .idx), submissions JSON and ingested
    table directories into OUT/filings_index.parquet and build OUT/timeliness.parquet;
    SEC's company_tickers.json (and the tickers in submissions JSON) go to OUT/tickers.parquet.

    Exits 1 when an input could not be read (the others are still written).
    """
    result = build_index(paths)
    write_table(result.frame, out, "filings_index")
    if result.tickers.height:  # a run without ticker files keeps the tickers already there
        write_table(result.tickers, out, "tickers")
    panel = write_timeliness(result.frame, out)
    statuses = {str(k): v for k, v in panel.group_by("status").len().sort("status").iter_rows()}
    summary = {
        "inputs": result.n_inputs,
        "filings": result.frame.height,
        "reports_due": panel.height,
        "tickers": result.tickers.height,
        "status": statuses,
        "unreadable": [{"path": p, "code": c, "message": m} for p, c, m in result.errors],
        "out": str(out),
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(
            f"{summary['inputs']} inputs: {summary['filings']} filings indexed, "
            f"{summary['reports_due']} periodic reports in the timeliness panel"
            + (f", {result.tickers.height:,} tickers" if result.tickers.height else "")
        )
        for status, n in statuses.items():
            click.echo(f"  {_clean(status):<24} {n}")
        for p, c, m in result.errors:
            click.echo(f"  error {c}: {_clean(p)}: {_clean(m)}", err=True)
        click.echo(f"tables written to {out}")
    if result.errors:
        sys.exit(1)


@main.command("dilution")
@click.option("--cik", type=int, default=None, help="Company CIK.")
@click.option("--company", default=None, help="Case-insensitive part of the company name.")
@click.option("--ticker", default=None,
              help="Trading symbol (the data's tickers table); used instead of --cik/--company.")  # fmt: skip
@click.option(
    "--data", "data", required=True, type=click.Path(exists=True, path_type=Path),
    help="Directory written by workbench ingest.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print rows as JSON.")
def dilution_cmd(
    cik: int | None, company: str | None, ticker: str | None, data: Path, as_json: bool
) -> None:
    """A company's S-8 registrations over the shares outstanding known before each filing."""
    if cik is None and not company and not ticker:
        raise click.BadParameter("give --cik, --company or --ticker")
    # the one company filter the reports and explorers use (CIK or a part of the name);
    # a company not in the data is an error, not an empty answer
    tables = open_tables(data)[1]
    cik, company = named_company(ticker_map(tables), cik, company, ticker)
    check_company(data, cik, company, all_companies=True, tables=tables)
    frame = dilution_table(tables).filter(company_filter(cik, company))
    if as_json:
        click.echo(frame.write_json())
        return
    if not frame.height:
        click.echo("the company is in the data, but has no S-8 registrations there")
        return
    for r in frame.sort("filed_date").iter_rows(named=True):
        ratio = (
            f"{r['dilution_pct']:.2f}% of {r['shares_outstanding']:,} (as of "
            f"{r['denominator_as_of_date']}, {r['denominator_age_days']} days old)"
            if r["dilution_pct"] is not None
            else f"no ratio: {r['denominator_missing_reason']}"
        )
        click.echo(
            f"{r['filed_date']}  {_clean(r['company_name'])}  {r['shares_registered']:,} shares  "
            f"fee {r['registration_fee']}  {ratio}"
        )


@main.command("report")
@click.argument("name", required=False, type=click.Choice(sorted(REPORTS)))
@click.option("--list", "list_reports", is_flag=True, help="List the reports and their parameters.")
@click.option(
    "-p", "--param", "params", nargs=2, multiple=True, metavar="KEY VALUE",
    help="A report parameter (repeat); e.g. -p cik 320193 -p start_year 2000.",
)  # fmt: skip
@click.option(
    "--data", "data", default=None, type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Table directory (default: the bundled sample).",
)  # fmt: skip
@click.option(
    "--out", "out", default=Path("reports"), show_default=True, type=click.Path(path_type=Path),
    help="Where reports and index.html go.",
)  # fmt: skip
@click.option(
    "--batch", "batch", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Parameter sets: a CSV with a header row, or one line of key=value pairs per report.",
)  # fmt: skip
@click.option("--workers", type=int, default=None, help="Batch worker processes (default 2).")
def report_cmd(
    name: str | None,
    list_reports: bool,
    params: tuple[tuple[str, str], ...],
    data: Path | None,
    out: Path,
    batch: Path | None,
    workers: int | None,
) -> None:
    """Render report NAME to OUT/NAME/<slug>.html (and the executed .ipynb) and update
    OUT/index.html. Reports: company_dilution (cik or company), company_timeliness (cik or
    company, start_year, end_year), market_timeliness (start, end as YYYY or YYYYQn,
    form_types as 10-K,10-Q); --list prints each with its parameters and their types."""
    if list_reports:
        click.echo(report_listing())
        return
    if name is None:
        raise click.UsageError("name a report, or pass --list to see them")
    values: dict[str, str] = {}
    for key, value in params:
        if key in values:
            raise click.BadParameter(f"{key} given twice", param_hint="-p")
        values[key] = value
    if data is None:
        _sample_note("the report is made")
    if batch is None:
        try:
            result = run_report(name, values, out, data_dir=data)
        except ValidationError as exc:
            raise click.BadParameter(_said(exc), param_hint="-p") from exc
        except ReportExecutionError as exc:
            click.echo(f"report failed: {_clean(exc.message)}", err=True)
            r = exc.context.get("result")
            if r is not None:
                click.echo(Path(r.html_path).resolve(), err=True)
            sys.exit(1)
        click.echo(Path(result.html_path).resolve())
        return
    _report_batch(name, values, batch, data, out, workers)


def _report_batch(
    name: str,
    values: dict[str, str],
    batch: Path,
    data: Path | None,
    out: Path,
    workers: int | None,
) -> None:
    """``report --batch``: every parameter set, a summary line each, exit 1 if any failed."""
    try:
        sets = [{**values, **s} for s in read_batch(batch)]
    except ValidationError as exc:
        raise click.BadParameter(_said(exc), param_hint="--batch") from exc
    results = run_batch(name, sets, out, data_dir=data, workers=workers, progress=None)
    failed = [r for r in results if r.status != "ok"]
    click.echo(f"{len(results)} reports: {len(results) - len(failed)} ok, {len(failed)} failed")
    for r in sorted(results, key=lambda r: r.slug):
        click.echo(f"  {r.status:<6} {r.slug:<40} {Path(r.html_path).resolve()}")
        if r.error:
            click.echo(f"         {_clean(r.error)}")
    click.echo(f"index: {(out / 'index.html').resolve()}")
    if failed:
        sys.exit(1)


_DATA_OPTION = click.option(
    "--data",
    "data",
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Table directory the explorers open on (default: the bundled sample).",
)


@main.command("notebooks")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@_DATA_OPTION
@click.option("--force", is_flag=True, help="Replace notebooks already in DEST.")
def notebooks_cmd(dest: Path, data: Path | None, force: bool) -> None:
    """Copy the two explorers and the report templates to DEST for editing (reports/ holds
    the templates; `workbench report` keeps using the packaged ones)."""
    if data is None:
        _sample_note("the explorers open")
    for path in copy_notebooks(dest, data, force=force):
        click.echo(_clean(path))


@main.command("lab")
@click.argument(
    "dest",
    default=Path("workbench-notebooks"),
    required=False,
    type=click.Path(file_okay=False, path_type=Path),
)
@_DATA_OPTION
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="Server port.")
@click.option("--no-browser", is_flag=True, help="Start the server without opening a browser.")
def lab_cmd(dest: Path, data: Path | None, port: int | None, no_browser: bool) -> None:
    """Open JupyterLab on the explorers in DEST (default ./workbench-notebooks), copying
    them there first unless DEST already holds them (your edits are kept)."""
    if not all((dest / f"{name}.ipynb").exists() for name in EXPLORERS):
        if data is None:
            _sample_note("the explorers open")
        copy_notebooks(dest, data)
    elif data is not None:
        click.echo(f"{_clean(dest)} already holds the explorers; their data_dir is kept", err=True)
    args = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={dest.resolve()}",
        "--ServerApp.ip=127.0.0.1",
    ]
    if port is not None:
        args.append(f"--ServerApp.port={port}")
    if no_browser:
        args.append("--ServerApp.open_browser=False")
    if os.geteuid() == 0:  # containers run as root; Jupyter refuses that unless told
        args.append("--ServerApp.allow_root=True")
    sys.stdout.flush()
    os.execv(sys.executable, args)


def _edgar_options(func: Any) -> Any:
    """Options every EDGAR command shares."""
    options = [
        click.option("--dest", required=True, type=click.Path(file_okay=False, path_type=Path),
                     help="Cache directory; files land in EDGAR's own layout under it."),
        click.option("--user-agent", default=None,
                     help='"Name email" declared to the SEC (or env WORKBENCH_USER_AGENT).'),
        click.option("--base-url", default=None,
                     help="Stands in for www.sec.gov and data.sec.gov (or env WORKBENCH_EDGAR_URL)."),
        click.option("--rate", default=8, show_default=True, type=click.IntRange(1, 10),
                     help="Requests per second (the SEC allows 10)."),
        click.option("--offline", is_flag=True, help="Use the cache only; never open a socket."),
        click.option("--workers", default=4, show_default=True, type=click.IntRange(1, 16),
                     help="Download threads (they share the rate limit)."),
        click.option("--retries", default=6, show_default=True, type=click.IntRange(1, 20),
                     help="Tries per file (429, 5xx, cut or unreadable answers)."),
        click.option("--max-mb", default=1024, show_default=True, type=click.IntRange(1),
                     help="Largest file accepted, in MiB after decompression."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def _client(dest: Path, user_agent: str | None, base_url: str | None, rate: int,
            offline: bool, retries: int, max_mb: int) -> EdgarClient:  # fmt: skip
    try:
        return EdgarClient(dest, user_agent=user_agent, base_url=base_url, rate=rate,
                           offline=offline, retries=retries, max_bytes=max_mb << 20)  # fmt: skip
    except ValidationError as exc:
        raise click.UsageError(str(exc)) from exc


def _progress(
    client: EdgarClient, total: int, unit: str
) -> Callable[[str, Path | None, str | None], None]:
    """A progress bar (counts, bytes, cache hits, failures) on stderr when it is a terminal,
    as an ``on_done`` callback; it closes itself at ``total``."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, desc="fetch", disable=None)

    def done(path: str, file: Path | None, error: str | None) -> None:
        bar.update(1)
        bar.set_postfix(bytes=f"{client.stats.bytes:,}", cached=client.stats.cached,
                        failed=client.stats.failed)  # fmt: skip
        if bar.n >= total:
            bar.close()

    return done


def _fetch_all(client: EdgarClient, paths: list[str], workers: int, unit: str) -> dict[str, Path]:
    """Download ``paths`` with a progress bar."""
    return client.get_many(paths, workers=workers, on_done=_progress(client, len(paths), unit))


def _finish(client: EdgarClient) -> None:
    click.echo(client.stats.summary())
    for path, why in client.stats.failures[:50]:
        click.echo(f"  failed {_clean(path)}: {_clean(why)}", err=True)
    if len(client.stats.failures) > 50:
        click.echo(f"  ... {len(client.stats.failures) - 50} more failures", err=True)
    if client.stats.failed:
        sys.exit(1)


_tables_option = click.option(
    "--tables", default=None, type=click.Path(file_okay=False, path_type=Path),
    help="Where ingest writes the tables (default DEST/tables).",
)  # fmt: skip


def _ingest_fetched(client: EdgarClient, files: list[Path], out: Path) -> None:
    """Ingest what a fetch command got into ``out``, then its summary and exit status."""
    if files:
        result = ingest_to_dir(sorted(files), out, progress=None)
        _print_summary(result, out, as_json=False)
    _finish(client)


@main.command("fetch")
@click.option(
    "--cik",
    default=None,
    type=click.IntRange(1, 9_999_999_999),
    help="One company's filings (its submissions JSON); without it, every "
    "company's filings in the period (EDGAR's index files).",
)
@click.option(
    "--forms",
    default="S-8,S-8 POS,NT 10-K,NT 10-Q,10-K,10-Q",
    show_default=True,
    help="Comma-separated form types.",
)
@click.option(
    "--from",
    "--since",
    "since",
    default=None,
    type=click.DateTime(["%Y-%m-%d"]),
    help="First filing date.",
)
@click.option(
    "--to",
    "--until",
    "until",
    default=None,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last filing date.",
)
@click.option(
    "--documents",
    default="all",
    show_default=True,
    type=click.Choice(["all", "needed"]),
    help="all: each filing's complete .txt (one request). needed: its headers page, "
    "then only the documents the workbench reads (an S-8's Exhibit 107, not "
    "its plan): fewer bytes, one or two more requests.",
)
@_tables_option
@_edgar_options
def fetch_cmd(cik: int | None, forms: str, since: dt.datetime | None, until: dt.datetime | None,
              documents: str, tables: Path | None, dest: Path, user_agent: str | None,
              base_url: str | None, rate: int, offline: bool, workers: int, retries: int,
              max_mb: int) -> None:  # fmt: skip
    """Download filings, then ingest them into DEST/tables: one company's (--cik), or every
    company's filings of FORMS from --from to --to. Reruns skip what is in the cache."""
    first, last = (since.date() if since else None), (until.date() if until else None)
    form_list = [f.strip() for f in forms.split(",") if f.strip()]
    with _client(dest, user_agent, base_url, rate, offline, retries, max_mb) as client:
        if cik is not None:
            listed = _company_listing(client, cik, form_list, first, last)
            what = f"CIK {cik}"
        else:
            if first is None or last is None:
                raise click.UsageError("without --cik, give the period: --from and --to")
            listed = _period_listing(client, form_list, first, last)
            what = f"{first} to {last}"
        click.echo(f"{len(listed)} filings listed for {what} ({_clean(forms)})")
        if documents == "needed":
            folders = fetch_documents(
                client, listed, documents_read, workers=workers,
                progress=lambda unit, total: _progress(client, total, unit),
            )  # fmt: skip
            files = [folders[acc] for _c, acc, _f in listed if acc in folders]
        else:
            paths = [archive_path(c, acc) for c, acc, _f in listed]
            files = list(_fetch_all(client, paths, workers, "filing").values())
    _ingest_fetched(client, files, tables or dest / "tables")


def _company_listing(client: EdgarClient, cik: int, forms: list[str], since: dt.date | None,
                     until: dt.date | None) -> list[tuple[int, str, str]]:  # fmt: skip
    """(CIK, accession, form) of a company's filings its submissions JSON lists."""
    try:
        pages = submissions_pages(client, cik)
    except SourceError as exc:
        click.echo(f"error: {_clean(exc.message)}", err=True)
        sys.exit(1)
    listing = filings_listed(pages, forms=forms, since=since, until=until)
    for where, why in listing.problems:  # one bad row is a failed item, not the run
        client.record_failure(where, why)
    return [(cik, r["accession_number"], r["form"]) for r in listing.filings]


def _period_listing(client: EdgarClient, forms: list[str], since: dt.date,
                    until: dt.date) -> list[tuple[int, str, str]]:  # fmt: skip
    """(CIK, accession, form) of every filing EDGAR's index files list for the period."""
    try:
        files = index_files(client, since, until)
    except ValidationError as exc:
        raise click.BadParameter(exc.message) from exc
    frame, problems = filings_in_index(sorted(files), forms=forms, since=since, until=until)
    for where, why in problems:
        client.record_failure(where, why)
    return list(frame.select("cik", "accession_number", "form_type").iter_rows())


@main.command("fetch-index")
@click.option("--year", required=True, type=click.IntRange(1993, 2100))
@click.option("--quarter", default=None, type=click.IntRange(1, 4), help="Default: all four.")
@click.option("--kind", default="form", show_default=True,
              type=click.Choice(["form", "master", "company"]))  # fmt: skip
@_edgar_options
def fetch_index_cmd(year: int, quarter: int | None, kind: str, dest: Path, user_agent: str | None,
                    base_url: str | None, rate: int, offline: bool, workers: int, retries: int, max_mb: int) -> None:  # fmt: skip
    """Download EDGAR full-index files (then: workbench index DEST/Archives --out DIR)."""
    quarters = [quarter] if quarter else [1, 2, 3, 4]
    with _client(dest, user_agent, base_url, rate, offline, retries, max_mb) as client:
        try:
            paths = [full_index_path(year, q, kind) for q in quarters]
        except ValidationError as exc:
            raise click.BadParameter(exc.message) from exc
        files = _fetch_all(client, paths, workers, "file")
    for path in sorted(files.values()):
        click.echo(path)
    _finish(client)


@main.command("fetch-tickers")
@_edgar_options
def fetch_tickers_cmd(dest: Path, user_agent: str | None, base_url: str | None, rate: int,
                      offline: bool, workers: int, retries: int, max_mb: int) -> None:  # fmt: skip
    """Download SEC's company_tickers.json (then: workbench index FILE --out DIR, and name
    companies by ticker in reports, explorers and workbench dilution)."""
    with _client(dest, user_agent, base_url, rate, offline, retries, max_mb) as client:
        files = _fetch_all(client, [company_tickers_path()], workers, "file")
    for path in files.values():
        click.echo(path)
    _finish(client)


@main.command("fetch-json")
@click.option("--cik", required=True, type=click.IntRange(1, 9_999_999_999), help="Company CIK.")
@_edgar_options
def fetch_json_cmd(cik: int, dest: Path, user_agent: str | None, base_url: str | None, rate: int,
                   offline: bool, workers: int, retries: int, max_mb: int) -> None:  # fmt: skip
    """Download a company's submissions JSON (every page) and companyfacts JSON."""
    with _client(dest, user_agent, base_url, rate, offline, retries, max_mb) as client:
        files: list[Path] = []
        try:
            files.extend(submissions_pages(client, cik))
        except SourceError as exc:
            client.record_failure(submissions_path(cik), exc.message)
        files.extend(_fetch_all(client, [companyfacts_path(cik)], workers, "file").values())
    for path in files:
        click.echo(path)
    _finish(client)


@main.command("fetch-xbrl")
@click.option(
    "--frames",
    "periods",
    multiple=True,
    metavar="PERIOD",
    help="An XBRL frames instant (CY2023Q4I): every company's cover-page shares "
    "outstanding for it, in one request. Repeatable.",
)
@click.option(
    "--companyfacts-zip",
    "bulk",
    is_flag=True,
    help="EDGAR's nightly companyfacts.zip (about 1 GB): every company's facts, "
    "read in place from the zip.",
)
@_tables_option
@_edgar_options
def fetch_xbrl_cmd(periods: tuple[str, ...], bulk: bool, tables: Path | None, dest: Path,
                   user_agent: str | None, base_url: str | None, rate: int, offline: bool,
                   workers: int, retries: int, max_mb: int) -> None:  # fmt: skip
    """Download shares-outstanding denominators for the whole market, then ingest them:
    frames for an instant, and/or the bulk companyfacts zip."""
    if not periods and not bulk:
        raise click.UsageError("give --frames PERIOD and/or --companyfacts-zip")
    try:
        paths = [frames_path("EntityCommonStockSharesOutstanding", p) for p in periods]
    except ValidationError as exc:
        raise click.BadParameter(exc.message, param_hint="--frames") from exc
    if bulk:
        paths.append(companyfacts_zip_path())
    with _client(dest, user_agent, base_url, rate, offline, retries, max(max_mb, 4096)) as client:
        files = _fetch_all(client, paths, workers, "file")
    _ingest_fetched(client, list(files.values()), tables or dest / "tables")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
