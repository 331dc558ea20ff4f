"""Running report templates: papermill into ``reports/<name>/<slug>.ipynb``, nbconvert into
``<slug>.html`` (code hidden, charts as inline SVG, so the page works offline), and
``reports/index.html`` listing every report with its provenance.

Parameters are validated (``reports.params``) before a kernel starts, and papermill's
injected cell is checked to read back exactly the validated values, so no value can become
code. A batch runs in worker processes; a failing report leaves an error page with its
traceback and never stops the others.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import datetime as dt
import fcntl
import html
import io
import json
import os
import re
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from workbench.analytics.companies import (
    company_choices,
    company_filter,
    describe_matches,
    named_company,
    ticker_map,
)
from workbench.errors import ReportExecutionError, ValidationError
from workbench.frames.store import snapshot
from workbench.pipeline import open_tables, prepare_sample
from workbench.reports.params import (
    REPORTS,
    RUNNER_ONLY,
    CompanyParams,
    ReportParams,
    parse_params,
)
from workbench.sources.index_files import normal_ticker
from workbench.version import __version__

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_REMOTE_SCRIPT = re.compile(r"<script src=\"https?://[^\"]*\">\s*</script>")


def notebooks_dir() -> Path:
    """The explorers and report templates shipped inside the package (``notebooks/`` in a
    clone is a link to it), so a wheel install has them too."""
    return Path(__file__).resolve().parents[1] / "notebooks"


EXPLORERS = ("explore_dilution", "explore_timeliness")


def copy_notebooks(
    dest: Path, data_dir: str | os.PathLike[str] | None = None, *, force: bool = False
) -> list[Path]:
    """Copy the explorers and the report templates to ``dest`` for editing.

    With ``data_dir`` the explorers open on that table directory (their ``data_dir``
    parameter is set to its absolute path). Existing files are kept unless ``force``: a
    user's edits are never overwritten silently (``ValidationError`` names them)."""
    src = notebooks_dir()
    pairs = [(src / f"{n}.ipynb", dest / f"{n}.ipynb") for n in EXPLORERS]
    pairs += [(src / "README.md", dest / "README.md")]
    pairs += [(t, dest / "reports" / t.name) for t in sorted((src / "reports").glob("*.ipynb"))]
    clash = [str(d) for _, d in pairs if d.exists()]
    if clash and not force:
        raise ValidationError(
            f"{len(clash)} file(s) already there, e.g. {clash[0]}",
            suggestion="pass --force to replace them, or choose another directory",
        )
    folder = None if data_dir is None else str(Path(data_dir).resolve())
    for s, d in pairs:
        d.parent.mkdir(parents=True, exist_ok=True)
        text = s.read_text(encoding="utf-8")
        if folder is not None and s.stem in EXPLORERS:
            text = _with_data_dir(text, folder)
        d.write_text(text, encoding="utf-8")
    return [d for _, d in pairs]


def _with_data_dir(notebook_json: str, folder: str) -> str:
    """The notebook with its ``data_dir`` parameter set to ``folder``."""
    nb = json.loads(notebook_json)
    default = 'data_dir: "Optional[str]" = None'
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and default in source:
            cell["source"] = source.replace(default, f'data_dir: "Optional[str]" = {folder!r}')
            return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    raise ValidationError("the explorer has no data_dir parameter to set")


def templates_dir() -> Path:
    """``$WORKBENCH_TEMPLATES``, else the packaged ``notebooks/reports``."""
    env = os.environ.get("WORKBENCH_TEMPLATES")
    if env:
        return Path(env)
    return notebooks_dir() / "reports"


def template_path(name: str) -> Path:
    """The template of report ``name`` (``ValidationError`` when there is none)."""
    if name not in REPORTS:
        raise ValidationError(f"unknown report {name!r}; reports: {', '.join(sorted(REPORTS))}")
    path = templates_dir() / f"{name}.ipynb"
    if not path.exists():
        raise ValidationError(f"template {path} not found", suggestion="set WORKBENCH_TEMPLATES")
    return path


@dataclass(slots=True)
class ReportResult:
    """One report run: where it went and what it was made from."""

    name: str
    slug: str
    params: dict[str, Any]
    status: str  # 'ok' or 'failed'
    html_path: str
    ipynb_path: str
    data_hash: str
    version: str
    started: str  # ISO time, UTC
    seconds: float
    error: str | None = None
    failed_cell: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def validate_params(
    name: str, values: dict[str, Any], data_dir: str | os.PathLike[str] | None = None
) -> ReportParams:
    """Validated parameters for an unattended run: ``interactive`` off, ``data_dir`` made
    absolute (the kernel runs in the report's folder)."""
    merged = dict(values)
    if data_dir is not None and merged.get("data_dir") in (None, ""):
        merged["data_dir"] = str(data_dir)
    if merged.get("data_dir"):
        merged["data_dir"] = str(Path(merged["data_dir"]).resolve())
    merged["interactive"] = False
    try:
        return parse_params(name, merged)
    except KeyError as exc:
        raise ValidationError(str(exc.args[0])) from exc
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ValidationError(_pydantic_message(exc)) from exc


def _one_company(params: ReportParams) -> None:
    """A company report's company is in the data, once (``ValidationError`` otherwise)."""
    if isinstance(params, CompanyParams):
        check_company(
            params.data_dir, params.cik, params.company, params.all_companies, ticker=params.ticker
        )


_LISTS: dict[tuple[str, int], tuple[pl.DataFrame, dict[str, int]]] = {}


def _company_lists(
    data: Path, tables: dict[str, pl.LazyFrame] | None
) -> tuple[pl.DataFrame, dict[str, int]] | None:
    """The data's companies and tickers: from ``tables`` when the caller has them open, else
    read once per table generation (the ``current`` pointer's mtime); None when the tables
    cannot be read (the run itself reports that, with a page)."""
    if tables is not None:
        return company_choices(tables), ticker_map(tables)
    pointer = data / "current"
    key = (str(data.resolve()), pointer.lstat().st_mtime_ns if pointer.is_symlink() else 0)
    if key not in _LISTS:
        try:
            opened = open_tables(data)[1]
            _LISTS[key] = (company_choices(opened), ticker_map(opened))
        except ValidationError:
            raise
        except Exception:
            return None
    return _LISTS[key]


def check_company(
    data_dir: str | os.PathLike[str] | None,
    cik: int | None,
    company: str | None,
    all_companies: bool = False,
    *,
    ticker: str | None = None,
    tables: dict[str, pl.LazyFrame] | None = None,
) -> pl.DataFrame:
    """The companies a report or command is about, or a ``ValidationError`` saying which
    are in the data: none matches, a name matches several (unless ``all_companies``), or a
    ticker is not in the data's tickers table. Runs before any kernel starts."""
    data = Path(data_dir) if data_dir else prepare_sample()
    lists = _company_lists(data, tables)
    if lists is None:
        return pl.DataFrame()
    choices, tickers = lists
    cik, company = named_company(tickers, cik, company, ticker)
    named = []
    if cik is not None:
        named.append(f"CIK {cik}" + (f" (ticker {normal_ticker(ticker)})" if ticker else ""))
    if company:
        named.append(repr(company))
    found = choices.filter(company_filter(cik, company))
    who = " or ".join(named)
    if found.is_empty():
        raise ValidationError(
            f"no company {who} in {data} ({choices.height} companies there)",
            suggestion="check the CIK, ticker or name, or point --data at other tables",
        )
    if found.height > 1 and not all_companies and cik is None:
        raise ValidationError(
            f"{company!r} matches {found.height} companies: {describe_matches(found)}",
            suggestion="choose one with -p cik N, or pass -p all_companies true",
        )
    return found


def _pydantic_message(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    parts = []
    for e in errors():
        where = ".".join(str(x) for x in e.get("loc", ())) or "parameters"
        msg = str(e.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)


def injected_source(params: dict[str, Any]) -> str:
    """The parameters cell papermill will write, checked to evaluate back to ``params``."""
    from papermill.translators import translate_parameters

    source = str(translate_parameters("python3", "python", params, "Parameters"))
    tree = ast.parse(source)
    seen: dict[str, Any] = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            raise ValidationError(
                f"parameter cell has a statement that is not an assignment: {ast.dump(node)[:80]}"
            )
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            raise ValidationError("parameter cell assigns to something that is not a name")
        seen[target.id] = ast.literal_eval(node.value)
    if seen != params:
        raise ValidationError("a parameter value does not survive papermill's quoting")
    return source


def _execute(name: str, params: ReportParams, ipynb: Path) -> None:
    import papermill as pm

    values = params.model_dump(mode="json", exclude=set(RUNNER_ONLY))
    injected_source(values)
    ipynb.parent.mkdir(parents=True, exist_ok=True)
    try:
        pm.execute_notebook(
            str(template_path(name)),
            str(ipynb),
            parameters=values,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(ipynb.parent),
            execution_timeout=600,
        )
    except pm.PapermillExecutionError as exc:
        tb = _ANSI.sub("", "\n".join(exc.traceback or []))
        raise ReportExecutionError(
            f"{exc.ename}: {exc.evalue}", cell_index=exc.cell_index, traceback=tb
        ) from exc


def _export_html(ipynb: Path, target: Path, title: str) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    from workbench.charts import LIVE_CSS, live_script

    book = nbformat.read(ipynb, as_version=4)
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(book, resources={"metadata": {"name": title}})
    body = _REMOTE_SCRIPT.sub("", body)  # require.js and MathJax: reports need neither
    body = body.replace("</head>", f"<style>{_CSS}{LIVE_CSS}</style></head>", 1)
    if 'class="wb-spec"' in body:  # live charts: the bundle once, at the end of the page
        i = body.rfind("</body>")
        body = body[:i] + live_script() + body[i:]
    _atomic_write(target, body)


_CSS = """
.wb-table { border-collapse: collapse; font-size: 12px; margin: 0.5em 0 1em; }
.wb-table th, .wb-table td { border: 1px solid #ddd; padding: 3px 6px; vertical-align: top;
  text-align: left !important; }
.wb-table caption { text-align: left; font-weight: bold; padding: 4px 0; }
.wb-table small { color: #777; }
details.wb-fold { margin: 0.5em 0 1em; }
details.wb-fold > summary { cursor: pointer; font-weight: bold; padding: 4px 0; }
"""


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)


def _error_page(result: ReportResult, tb: str) -> str:
    e = html.escape
    params = "".join(
        f"<tr><td>{e(k)}</td><td>{e(str(v))}</td></tr>" for k, v in result.params.items()
    )
    cell = "" if result.failed_cell is None else f" in cell {result.failed_cell}"
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>FAILED {e(result.name)}: "
        f"{e(result.slug)}</title></head><body><h1>Report failed: {e(result.name)}</h1>"
        f"<p><b>{e(result.error or '')}</b>{e(cell)}</p>"
        f"<p>Executed notebook (partial): {e(result.ipynb_path)}</p>"
        f"<h2>Parameters</h2><table>{params}</table>"
        f"<p>workbench {e(result.version)}, data snapshot {e(result.data_hash)}, "
        f"run at {e(result.started)}</p><h2>Traceback</h2><pre>{e(tb)}</pre></body></html>"
    )


def run_report(
    name: str,
    values: dict[str, Any],
    out_dir: str | os.PathLike[str] = "reports",
    *,
    data_dir: str | os.PathLike[str] | None = None,
    update_index: bool = True,
) -> ReportResult:
    """Validate, execute and export one report; on failure write an error page and raise
    ``ReportExecutionError`` (the result is in its ``context['result']``)."""
    params = validate_params(name, values, data_dir)
    _one_company(params)
    return _run_validated(
        name, params, Path(out_dir), update_index=update_index, raise_on_error=True
    )


def _run_validated(
    name: str,
    params: ReportParams,
    out: Path,
    *,
    update_index: bool,
    raise_on_error: bool,
    slug: str | None = None,
) -> ReportResult:
    slug = slug or params.slug()
    out = out.resolve()
    folder = out / name
    ipynb, page = folder / f"{slug}.ipynb", folder / f"{slug}.html"
    started = dt.datetime.now(dt.UTC)
    data = Path(params.data_dir) if params.data_dir else prepare_sample()
    data_hash, _ = snapshot(data)
    result = ReportResult(
        name=name, slug=slug, params=params.model_dump(mode="json"), status="ok",
        html_path=str(page), ipynb_path=str(ipynb), data_hash=data_hash, version=__version__,
        started=started.isoformat(timespec="seconds"), seconds=0.0,
    )  # fmt: skip
    t0 = time.perf_counter()
    try:
        _execute(name, params, ipynb)
        _export_html(ipynb, page, f"{name}: {slug}")
    except Exception as exc:  # one failing report must leave a page, not a crash
        result.status = "failed"
        result.error = (
            exc.message if isinstance(exc, ReportExecutionError) else f"{type(exc).__name__}: {exc}"
        )
        tb = ""
        if isinstance(exc, ReportExecutionError):
            result.failed_cell = exc.context.get("cell_index")
            tb = str(exc.context.get("traceback", ""))
        tb = tb or "".join(traceback.format_exception(exc))
        result.seconds = round(time.perf_counter() - t0, 2)
        _atomic_write(page, _error_page(result, tb))
        if update_index:
            record(out, [result])
        if raise_on_error:
            raise ReportExecutionError(
                f"report {name}/{slug} failed: {result.error}", result=result
            ) from exc
        return result
    result.seconds = round(time.perf_counter() - t0, 2)
    if update_index:
        record(out, [result])
    return result


# --- batch -----------------------------------------------------------------------------------


def read_batch(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Parameter sets from a CSV with a header row, or from lines of ``key=value`` pairs
    (shell-quoted; ``#`` starts a comment). Empty CSV cells mean "not given". A file that
    is not UTF-8 text, a ragged CSV row, an unclosed quote, a key given twice or no set at
    all is a ``ValidationError`` naming the line, before any report starts."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror}") from None
    if "\x00" in text:
        raise ValidationError(f"{path} is not a text file (it holds NUL bytes)")
    numbered = [(n, ln) for n, ln in enumerate(text.splitlines(), 1)
                if ln.strip() and not ln.lstrip().startswith("#")]  # fmt: skip
    if not numbered:
        raise ValidationError(f"{path} holds no parameter sets")
    if "=" not in numbered[0][1] and "," in numbered[0][1]:
        return _csv_sets(path, numbered)
    return [_line_set(path, n, line) for n, line in numbered]


def _csv_sets(
    path: str | os.PathLike[str], numbered: list[tuple[int, str]]
) -> list[dict[str, Any]]:
    rows = list(csv.reader(io.StringIO("\n".join(ln for _, ln in numbered))))
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header) or not all(header):
        raise ValidationError(f"{path} line {numbered[0][0]}: a header names a column twice "
                              "or has an empty name")  # fmt: skip
    if len(rows) != len(numbered):  # a quoted cell ran across lines
        raise ValidationError(f"{path}: a quote is not closed (or a cell spans lines)")
    sets = []
    for (n, _), row in zip(numbered[1:], rows[1:], strict=True):
        if len(row) != len(header):
            raise ValidationError(
                f"{path} line {n}: {len(row)} cells where the header has {len(header)}"
            )
        sets.append({k: v for k, v in zip(header, row, strict=True) if v != ""})
    if not sets:
        raise ValidationError(f"{path} has a header but no parameter sets")
    return sets


def _line_set(path: str | os.PathLike[str], n: int, line: str) -> dict[str, Any]:
    import shlex

    try:
        tokens = shlex.split(line)
    except ValueError as exc:  # an unclosed quote
        raise ValidationError(f"{path} line {n}: {exc}") from None
    values: dict[str, Any] = {}
    for token in tokens:
        key, sep, value = token.partition("=")
        if not sep or not key:
            raise ValidationError(f"{path} line {n}: {token!r} is not key=value")
        if key in values:
            raise ValidationError(f"{path} line {n}: {key} given twice")
        values[key] = value
    return values


def _worker(name: str, params: ReportParams, out: str, slug: str) -> ReportResult:
    return _run_validated(
        name, params, Path(out), update_index=False, raise_on_error=False, slug=slug
    )


def _unique_slugs(params: Sequence[ReportParams]) -> list[str]:
    """Each set's slug; a repeat (same company, another data directory) gets -2, -3 ..."""
    seen: dict[str, int] = {}
    out = []
    for p in params:
        base = p.slug()
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def run_batch(
    name: str,
    sets: Sequence[dict[str, Any]],
    out_dir: str | os.PathLike[str] = "reports",
    *,
    data_dir: str | os.PathLike[str] | None = None,
    workers: int | None = None,
    progress: bool | None = None,
) -> list[ReportResult]:
    """Run every parameter set on ``workers`` processes (default: 2 or the core count); a
    set that fails validation becomes a failed result with an error page, like a report that
    fails while running."""
    from tqdm import tqdm

    out = Path(out_dir).resolve()
    results: list[ReportResult] = []
    valid: list[ReportParams] = []
    for i, values in enumerate(sets, 1):
        try:
            params = validate_params(name, values, data_dir)
            _one_company(params)
            valid.append(params)
        except ValidationError as exc:
            results.append(_invalid(name, i, values, out, exc))
    if any(p.data_dir is None for p in valid):
        prepare_sample()  # once, before the workers race to build it
    n_workers = max(1, min(workers or min(2, os.cpu_count() or 1), len(valid) or 1))
    with (
        tqdm(
            total=len(valid), desc=f"report {name}", unit="report", disable=progress is False
        ) as bar,
        ProcessPoolExecutor(max_workers=n_workers) as pool,
    ):
        futures = [
            pool.submit(_worker, name, p, str(out), slug)
            for p, slug in zip(valid, _unique_slugs(valid), strict=True)
        ]
        for fut in as_completed(futures):
            try:
                results.append(fut.result())
            except Exception as exc:  # a worker process died
                results.append(_invalid(name, len(results) + 1, {}, out, exc))
            bar.update(1)
    record(out, results)
    return results


def _invalid(name: str, n: int, values: dict[str, Any], out: Path, exc: Exception) -> ReportResult:
    slug = f"invalid-{n}"
    page = out / name / f"{slug}.html"
    result = ReportResult(
        name=name, slug=slug, params={k: str(v) for k, v in values.items()}, status="failed",
        html_path=str(page), ipynb_path="", data_hash="", version=__version__,
        started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), seconds=0.0,
        error=str(exc),
    )  # fmt: skip
    _atomic_write(page, _error_page(result, "".join(traceback.format_exception(exc))))
    return result


# --- index -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    out.mkdir(parents=True, exist_ok=True)
    with (out / ".index.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def record(out_dir: str | os.PathLike[str], results: Sequence[ReportResult]) -> Path:
    """Add results to ``index.json`` (a rerun of the same report and slug replaces its
    entry) and rewrite ``index.html``; safe when several runs finish at once."""
    out = Path(out_dir)
    with _locked(out):
        manifest_path = out / "index.json"
        entries: dict[str, dict[str, Any]] = {}
        if manifest_path.exists():
            with contextlib.suppress(ValueError):
                entries = {
                    f"{e['name']}/{e['slug']}": e for e in json.loads(manifest_path.read_text())
                }
        for r in results:
            entries[f"{r.name}/{r.slug}"] = asdict(r)
        ordered = sorted(entries.values(), key=lambda e: (e["name"], e["slug"]))
        _atomic_write(manifest_path, json.dumps(ordered, indent=2, default=str))
        page = out / "index.html"
        _atomic_write(page, index_html(ordered, out))
    return page


def index_html(entries: Sequence[dict[str, Any]], out: Path) -> str:
    """The list of reports: link, status, parameters, data hash, version, run time."""
    e = html.escape
    rows = []
    for x in entries:
        link = os.path.relpath(x["html_path"], out) if x["html_path"] else ""
        params = ", ".join(
            f"{k}={v}"
            for k, v in x["params"].items()
            if v not in (None, [], "") and k != "interactive"
        )
        status = "ok" if x["status"] == "ok" else f"FAILED: {x.get('error') or ''}"
        rows.append(
            f"<tr><td><a href='{e(link)}'>{e(x['name'])}/{e(x['slug'])}</a></td>"
            f"<td>{e(status)}</td><td>{e(params)}</td><td><code>{e(x['data_hash'][:16])}</code></td>"
            f"<td>{e(x['version'])}</td><td>{e(x['started'])}</td><td>{x['seconds']:.1f} s</td></tr>"
        )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Filings Workbench reports</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px}</style></head><body>"
        "<h1>Filings Workbench reports</h1><table><thead><tr><th>report</th><th>status</th>"
        "<th>parameters</th><th>data snapshot</th><th>version</th><th>run at (UTC)</th>"
        f"<th>time</th></tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>"
    )
