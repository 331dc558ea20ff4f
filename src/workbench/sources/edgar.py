"""An HTTP client for EDGAR under the SEC's fair-access rules, with a disk cache in EDGAR's
own layout.

* Every request carries a declared User-Agent ("Name email"); the SEC blocks anonymous ones.
* One limiter per client (``pyrate-limiter``), shared by every thread: requests evenly
  spaced, at most ``rate`` in any one-second window (default 8; the SEC's ceiling is 10).
* Retries (``tenacity``) on 429 and 5xx, dropped connections, timeouts, truncated bodies,
  a body with no length, and JSON that does not parse, with exponential backoff, honouring
  ``Retry-After``. A 404 is final.
* No server can break it: bodies are capped (``max_bytes``, counted after decompression,
  and a gzip body that inflates over ``max_ratio`` times is refused as a bomb); a request
  has connect/read timeouts, a total time limit and a minimum rate (a drip is cut off);
  redirects are followed by hand and only to the EDGAR hosts (or the ``base_url`` host),
  so the User-Agent, with its email address, never goes anywhere else.
* The cache mirrors the URL path (``Archives/edgar/data/320193/0000320193-97-000011.txt``,
  ``submissions/CIK0000320193.json``). A file is written to a temporary name, checked
  (length, JSON) and renamed when complete, so an interrupted run or a lying server never
  leaves a partial or bad file under a real name; a rerun skips what is there. ``offline=True`` never creates an HTTP client at all.
* One base URL stands in for both www.sec.gov and data.sec.gov when
  given (a mirror, a test server); without it each path goes to its real host.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import httpx
from pyrate_limiter import Limiter, Rate
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from workbench.errors import SourceError, ValidationError
from workbench.sources.edgar_urls import (
    DATA,
    WWW,
    archive_path,
    daily_index_listing_path,
    daily_index_path,
    document_path,
    full_index_path,
    index_headers_path,
    submissions_path,
)
from workbench.sources.filing_dir import DocumentStub, parse_index_headers

_DATA_PREFIXES = ("/submissions/", "/api/")
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_USER_AGENT = re.compile(r"^\S.*\s\S+@\S+\.\S+$")
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
_EDGAR_HOSTS = frozenset({"www.sec.gov", "data.sec.gov", "sec.gov"})
#: redirects followed per request (EDGAR itself uses at most one or two)
MAX_REDIRECTS = 5
#: default body cap, after decompression: EDGAR's largest complete submissions are a few
#: hundred MB
MAX_BYTES = 1 << 30
#: a gzip body inflating more than this (past the first ``_RATIO_FLOOR`` bytes) is a bomb;
#: EDGAR text and XBRL inflate 5-20 times
MAX_RATIO = 100.0
_RATIO_FLOOR = 8 << 20
#: below this many bytes a second on average (once ``timeout`` has passed) a body is a drip
MIN_RATE = 1024
_CHUNK = 1 << 16


class _Retryable(Exception):
    """A failure worth another try; ``retry_after`` in seconds when the server said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, with no claim about the sender's zone
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


@dataclass(slots=True)
class FetchStats:
    """What a run did: downloaded, found in the cache, failed (with why), bytes written."""

    fetched: int = 0
    cached: int = 0
    failed: int = 0
    bytes: int = 0
    requests: int = 0
    retries: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.fetched} fetched ({self.bytes:,} bytes), {self.cached} from the cache, "
            f"{self.failed} failed; {self.requests} requests, {self.retries} retries"
        )


class EdgarClient:
    """Fetch EDGAR paths into ``cache_dir`` politely; see the module docstring."""

    def __init__(
        self,
        cache_dir: str | os.PathLike[str],
        *,
        user_agent: str | None = None,
        base_url: str | None = None,
        rate: int = 8,
        offline: bool = False,
        retries: int = 6,
        timeout: float = 30.0,
        total_timeout: float = 1800.0,
        max_wait: float = 60.0,
        max_bytes: int = MAX_BYTES,
        max_ratio: float = MAX_RATIO,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.offline = offline
        self.base_url = (base_url or os.environ.get("WORKBENCH_EDGAR_URL") or "").rstrip("/")
        if self.base_url and urlsplit(self.base_url).scheme not in ("http", "https"):
            raise ValidationError(f"base URL {self.base_url!r} is not http(s)")
        self.retries = retries
        self.timeout = timeout
        self.total_timeout = total_timeout
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio
        self.stats = FetchStats()
        self._lock = threading.Lock()
        if not 1 <= rate <= 10:
            raise ValidationError(f"rate {rate}/s: the SEC allows at most 10 requests per second")
        self.rate = rate
        self._client: Any = None
        if offline:
            return
        agent = (user_agent or os.environ.get("WORKBENCH_USER_AGENT") or "").strip()
        if not _USER_AGENT.match(agent):
            raise ValidationError(
                "EDGAR needs a declared User-Agent with a name and an email address",
                suggestion='pass --user-agent "Jane Doe jane@example.org" or set '
                "WORKBENCH_USER_AGENT",
            )
        self.user_agent = agent
        # evenly spaced, with a margin, so that even with network jitter no one-second
        # window the server measures holds more than ``rate`` requests
        spacing_ms = -(-1000 // rate) + 10
        self._limiter = Limiter(Rate(1, spacing_ms), buffer_ms=5)
        # redirects are followed by hand (``_once``): httpx would carry the User-Agent to
        # any host a server names
        self._client = httpx.Client(
            headers={"User-Agent": agent, "Accept-Encoding": "gzip"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
        )

    # --- paths -----------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The URL of an EDGAR path: the base URL when set, else www or data.sec.gov."""
        if self.base_url:
            return self.base_url + path
        return (DATA if path.startswith(_DATA_PREFIXES) else WWW) + path

    def allowed(self, url: str) -> bool:
        """Whether a request may go to ``url``: the ``base_url`` host (scheme, host and port)
        when set, else https on the SEC's EDGAR hosts."""
        parts = urlsplit(url)
        if self.base_url:
            base = urlsplit(self.base_url)
            return (parts.scheme, parts.hostname, parts.port) == (
                base.scheme, base.hostname, base.port,
            )  # fmt: skip
        return parts.scheme == "https" and (parts.hostname or "") in _EDGAR_HOSTS

    def cache_path(self, path: str) -> Path:
        """Where ``path`` lives in the cache (EDGAR's own layout)."""
        rel = Path(path.lstrip("/"))
        if ".." in rel.parts or rel.is_absolute():
            raise ValidationError(f"unsafe EDGAR path {path!r}")
        return self.cache_dir / rel

    # --- fetching --------------------------------------------------------------------------

    def get(self, path: str, *, refresh: bool = False) -> Path:
        """The cached file for ``path``, downloading it first when missing (or ``refresh``).

        Raises ``SourceError`` when it cannot be had (offline and not cached, 404, a body
        over the caps, a redirect off EDGAR, retries exhausted)."""
        target = self.cache_path(path)
        if target.exists() and not refresh:
            with self._lock:
                self.stats.cached += 1
            return target
        if self.offline:
            raise SourceError(f"{path} is not in the cache and the run is offline", path=path)
        try:
            n = self._download(path, target)
        except SourceError:
            raise
        except _Retryable as exc:
            raise SourceError(
                f"{path}: gave up after {self.retries} tries: {exc}", path=path
            ) from exc
        except OSError as exc:  # the cache, not the server: a full disk, a read-only --dest
            raise SourceError(f"{path}: cannot write the cache: {exc}", path=path) from exc
        except httpx.HTTPError as exc:  # anything else httpx raises is a failed item too
            raise SourceError(f"{path}: {type(exc).__name__}: {exc}", path=path) from exc
        with self._lock:
            self.stats.fetched += 1
            self.stats.bytes += n
        return target

    def get_json(self, path: str, *, refresh: bool = False) -> Any:
        """``get`` and parse as JSON. A cached file that does not parse (left by an older
        version) is fetched again once; offline it is an error."""
        target = self.get(path, refresh=refresh)
        try:
            return json.loads(target.read_bytes())
        except ValueError as exc:
            target.unlink(missing_ok=True)
            if self.offline or refresh:
                raise SourceError(f"{path}: not JSON ({exc})", path=path) from exc
        return self.get_json(path, refresh=True)

    def get_many(
        self,
        paths: Sequence[str],
        *,
        workers: int = 4,
        on_done: Callable[[str, Path | None, str | None], None] | None = None,
    ) -> dict[str, Path]:
        """Fetch many paths on ``workers`` threads (the limiter is shared); a failure of one
        path is counted in ``stats`` and reported through ``on_done(path, file, error)``,
        and the others go on."""

        def one(path: str) -> tuple[str, Path | None, str | None]:
            try:
                return path, self.get(path), None
            except SourceError as exc:
                message = exc.message
            except Exception as exc:  # one item never stops the run
                message = f"{type(exc).__name__}: {exc}"
            self.record_failure(path, message)
            return path, None, message

        done: dict[str, Path] = {}
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for path, file, error in pool.map(one, paths):
                if file is not None:
                    done[path] = file
                if on_done is not None:
                    on_done(path, file, error)
        return done

    def record_failure(self, item: str, message: str) -> None:
        """Count a failed item (a path, a listing row) in ``stats``."""
        with self._lock:
            self.stats.failed += 1
            self.stats.failures.append((item, message))

    def _download(self, path: str, target: Path) -> int:
        backoff = wait_exponential_jitter(max=self.max_wait, jitter=0.5)

        def wait(state: Any) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _Retryable) and exc.retry_after is not None:
                return min(exc.retry_after, self.max_wait)
            return float(backoff(state))

        def before_sleep(state: Any) -> None:
            with self._lock:
                self.stats.retries += 1

        for attempt in Retrying(
            stop=stop_after_attempt(self.retries),
            wait=wait,
            retry=retry_if_exception_type(_Retryable),
            before_sleep=before_sleep,
            reraise=True,
        ):
            with attempt:
                return self._once(path, target)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, path: str, target: Path) -> int:
        """One try: follow redirects within EDGAR, stream the body to a temporary file under
        the caps, check it, then rename it into place."""
        url = self.url(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                self._limiter.try_acquire("edgar")
                with self._lock:
                    self.stats.requests += 1
                with self._client.stream("GET", url) as resp:
                    if resp.status_code in _REDIRECT_STATUS:
                        url = self._redirect(url, resp.headers.get("Location"))
                        continue
                    self._check_status(url, resp)
                    with tmp.open("wb") as fh:
                        size = self._read_body(resp, fh)
                        fh.flush()
                        os.fsync(fh.fileno())
                self._check_content(path, tmp)
                tmp.replace(target)
                return size
            raise SourceError(f"{path}: more than {MAX_REDIRECTS} redirects", url=url)
        except httpx.TransportError as exc:  # dropped connection, timeout, short body
            raise _Retryable(f"{type(exc).__name__}: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)

    def _redirect(self, url: str, location: str | None) -> str:
        if not location:
            raise SourceError(f"{url}: a redirect with no Location", url=url)
        nxt = urljoin(url, location.strip())
        if not self.allowed(nxt):
            where = self.base_url or "the EDGAR hosts"
            raise SourceError(
                f"{url}: redirected to {nxt}, outside {where}; not followed (the "
                "User-Agent is only sent to EDGAR)", url=url,
            )  # fmt: skip
        return nxt

    @staticmethod
    def _check_status(url: str, resp: httpx.Response) -> None:
        if resp.status_code in _RETRY_STATUS:
            raise _Retryable(
                f"HTTP {resp.status_code}", _retry_after(resp.headers.get("Retry-After"))
            )
        if resp.status_code == 403:
            raise SourceError(
                f"{url}: HTTP 403 (the SEC refuses requests without a declared "
                "User-Agent, or above 10 per second)", url=url,
            )  # fmt: skip
        if resp.status_code != 200:
            raise SourceError(f"{url}: HTTP {resp.status_code}", url=url)

    def _framing(self, resp: httpx.Response) -> tuple[int | None, bool]:
        """The body's declared length and whether it is gzip; refuses what cannot be read
        safely before a byte of the body is."""
        url = str(resp.url)
        encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", ""):
            raise SourceError(f"{url}: unexpected Content-Encoding {encoding!r}", url=url)
        length = resp.headers.get("Content-Length")
        chunked = "chunked" in resp.headers.get("Transfer-Encoding", "").lower()
        if length is not None and not length.strip().isdigit():
            raise _Retryable(f"a Content-Length of {length!r}")
        if length is None and not chunked:
            # read-until-close: a cut connection looks exactly like the end of the body
            raise _Retryable("a body with no length (cannot tell complete from cut short)")
        if length is not None and int(length) > self.max_bytes:
            raise SourceError(
                f"{url}: {int(length):,} bytes, over the cap of {self.max_bytes:,}", url=url
            )
        return (int(length) if length is not None else None), encoding != "identity"

    def _read_body(self, resp: httpx.Response, fh: BinaryIO) -> int:
        """Write the (decompressed) body to ``fh`` under the size, ratio and time limits;
        the number of bytes written. A cut-short or length-less body is retried."""
        url = str(resp.url)
        length, gzipped = self._framing(resp)
        inflate = _Inflater() if gzipped else None
        start = time.monotonic()
        written = 0
        for raw in resp.iter_raw():  # as the network gives it: a chunk size would wait to fill
            on_wire = resp.num_bytes_downloaded
            for piece in inflate.feed(raw) if inflate else (raw,):
                written += len(piece)
                if written > self.max_bytes:
                    raise SourceError(
                        f"{url}: body over the cap of {self.max_bytes:,} bytes", url=url
                    )
                if inflate and written > _RATIO_FLOOR and written > self.max_ratio * on_wire:
                    raise SourceError(
                        f"{url}: {on_wire:,} compressed bytes inflate to over {written:,} "
                        f"(more than {self.max_ratio:g} times: a gzip bomb?)", url=url,
                    )  # fmt: skip
                fh.write(piece)
            self._check_pace(on_wire, time.monotonic() - start)
        on_wire = resp.num_bytes_downloaded
        if length is not None and on_wire != length:
            raise _Retryable(f"truncated body: {on_wire} of {length} bytes")
        if inflate is not None and not inflate.eof:
            raise _Retryable("truncated gzip body")
        return written

    def _check_pace(self, on_wire: int, elapsed: float) -> None:
        """A body that takes longer than ``total_timeout``, or comes slower than
        ``MIN_RATE`` once ``timeout`` has passed, is cut off (and retried)."""
        if elapsed > self.total_timeout:
            raise _Retryable(f"body not complete after {self.total_timeout:g} s")
        if elapsed > self.timeout and on_wire < MIN_RATE * elapsed:
            raise _Retryable(
                f"the server sends {on_wire:,} bytes in {elapsed:.0f} s "
                f"(under {MIN_RATE} bytes a second)"
            )

    def _check_content(self, path: str, tmp: Path) -> None:
        """What a status and a length cannot tell: JSON must parse to an object, and a
        submission or an index file must not be an HTML page. Retried, never cached."""
        if path.endswith(".json"):
            try:
                data = json.loads(tmp.read_bytes())
            except ValueError as exc:
                raise _Retryable(f"not JSON ({exc})") from exc
            if not isinstance(data, dict):
                raise _Retryable(f"JSON {type(data).__name__}, not an object")
        elif path.startswith("/Archives/") and path.endswith((".txt", ".idx")):
            # a submission or an index, never a web page (a document may well be HTML)
            with tmp.open("rb") as fh:
                head = fh.read(512).lstrip().lower()
            if head.startswith((b"<!doctype html", b"<html")):
                raise _Retryable("an HTML page, not the file asked for")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Inflater:
    """gzip decompression in pieces of at most ``_CHUNK`` bytes, so that a bomb is caught
    before it is in memory; a body of several gzip members is read whole."""

    def __init__(self) -> None:
        self._z = zlib.decompressobj(47)

    @property
    def eof(self) -> bool:
        return self._z.eof

    def feed(self, raw: bytes) -> Iterator[bytes]:
        data = raw
        while data:
            if self._z.eof:  # the next member
                self._z = zlib.decompressobj(47)
            try:
                piece = self._z.decompress(data, _CHUNK)
            except zlib.error as exc:
                raise _Retryable(f"bad gzip data ({exc})") from exc
            if piece:
                yield piece
            data = self._z.unconsumed_tail or (self._z.unused_data if self._z.eof else b"")


# --- what to fetch -----------------------------------------------------------------------------


_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}")


def submissions_pages(client: EdgarClient, cik: int) -> list[Path]:
    """The company's submissions JSON and every older page it lists. An older page that
    cannot be had is a failure in ``client.stats``; the pages that could are returned."""
    path = submissions_path(cik)
    data = client.get_json(path)
    pages = [client.cache_path(path)]
    files = data.get("filings") if isinstance(data, dict) else None
    listed = files.get("files") if isinstance(files, dict) else None
    for page in listed if isinstance(listed, list) else []:
        name = str(page.get("name", "")) if isinstance(page, dict) else ""
        if not re.fullmatch(r"CIK\d{10}-submissions-\d{3}\.json", name):
            client.record_failure(path, f"an older page named {str(page)[:80]!r}: skipped")
            continue
        try:
            client.get_json(f"/submissions/{name}")
        except SourceError as exc:
            client.record_failure(f"/submissions/{name}", exc.message)
            continue
        pages.append(client.cache_path(f"/submissions/{name}"))
    return pages


@dataclass(slots=True)
class Listing:
    """The filings submissions pages list (``accession_number``, ``form``, ``filing_date``,
    newest first) and what could not be read in them (where, why)."""

    filings: list[dict[str, str]]
    problems: list[tuple[str, str]]


def _columns(data: Any) -> tuple[list[Any], list[Any], list[Any]] | None:
    """The accession, form and filing-date lists of a page (the main page nests them under
    ``filings.recent``; older pages hold them at the top), or None when it has none."""
    table = data
    if isinstance(data, dict) and isinstance(data.get("filings"), dict):
        table = data["filings"].get("recent")
    if not isinstance(table, dict):
        return None
    accs, forms, dates = (table.get(k) for k in ("accessionNumber", "form", "filingDate"))
    if not (isinstance(accs, list) and isinstance(forms, list) and isinstance(dates, list)):
        return None
    return accs, forms, dates


def filings_listed(
    pages: Iterable[Path],
    *,
    forms: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Listing:
    """Every filing the pages list, kept when its form is in ``forms`` (all when empty) and
    its date in range. A page or a row that is not what EDGAR writes is a problem, not a
    crash: the rest is listed."""
    wanted = {f.strip().upper() for f in forms if f.strip()}
    out: dict[str, dict[str, str]] = {}
    problems: list[tuple[str, str]] = []
    for page in pages:
        where = Path(page).name
        try:
            columns = _columns(json.loads(Path(page).read_bytes()))
        except (OSError, ValueError) as exc:
            problems.append((where, f"not readable JSON ({exc})"))
            continue
        if columns is None:
            problems.append((where, "no accessionNumber, form and filingDate lists"))
            continue
        if len({len(c) for c in columns}) > 1:
            lengths = ", ".join(str(len(c)) for c in columns)
            problems.append((where, f"lists of unequal length ({lengths}): rows past the "
                                    "shortest not read"))  # fmt: skip
        for i, (acc, form, filed) in enumerate(zip(*columns, strict=False)):
            try:
                day = dt.date.fromisoformat(filed) if isinstance(filed, str) else None
            except ValueError:
                day = None
            if not (isinstance(acc, str) and _ACCESSION.fullmatch(acc)):
                why = f"{str(acc)[:40]!r} is not an accession number"
            elif day is None or not isinstance(form, str):
                why = f"{acc}: form {str(form)[:40]!r}, filing date {str(filed)[:40]!r}"
            else:
                why = ""
            if why:
                problems.append((f"{where} row {i}", why))
                continue
            assert day is not None
            if (wanted and form.upper() not in wanted) or (since and day < since) or (
                until and day > until
            ):  # fmt: skip
                continue
            out[acc] = {"accession_number": acc, "form": form, "filing_date": day.isoformat()}
    filings = sorted(out.values(), key=lambda r: r["filing_date"], reverse=True)
    return Listing(filings, problems)


# --- every company's filings of some forms in a period ------------------------------------------


def _quarter(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    nxt = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, nxt - dt.timedelta(days=1)


_DAY_FILE = re.compile(r"master\.(\d{8})\.idx")


def index_files(
    client: EdgarClient, since: dt.date, until: dt.date, *, today: dt.date | None = None
) -> list[Path]:
    """The EDGAR index files that list every filing made from ``since`` to ``until``: a
    quarter the period covers whole and that has ended is its full-index ``master.idx`` (one
    request); any other quarter is the daily-index ``master.YYYYMMDD.idx`` of each day in
    range that its listing names (the listing is fetched afresh: the quarter may still be
    growing). A file that cannot be had is a failure in ``client.stats``."""
    if until < since:
        raise ValidationError(f"the period ends ({until}) before it starts ({since})")
    today = today or dt.date.today()
    out: list[str] = []
    year, quarter = _quarter(since)
    while (year, quarter) <= _quarter(until):
        first, last = _quarter_bounds(year, quarter)
        if since <= first and last <= until and last < today:
            out.append(full_index_path(year, quarter, "master"))
        else:
            listing_path = daily_index_listing_path(year, quarter)
            try:
                listing = client.get_json(listing_path, refresh=not client.offline)
            except SourceError as exc:
                client.record_failure(listing_path, exc.message)
                listing = {}
            items = (
                listing.get("directory", {}).get("item", []) if isinstance(listing, dict) else []
            )
            for item in items if isinstance(items, list) else []:
                name = str(item.get("name", "")) if isinstance(item, dict) else ""
                m = _DAY_FILE.fullmatch(name)
                if m is None:
                    continue
                try:
                    day = dt.datetime.strptime(m.group(1), "%Y%m%d").date()
                except ValueError:
                    continue
                if since <= day <= until:
                    out.append(daily_index_path(year, quarter, name))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return [f for f in client.get_many(out).values()]


def fetch_documents(
    client: EdgarClient,
    filings: Sequence[tuple[int, str, str]],
    choose: Callable[[str, Sequence[DocumentStub]], Sequence[DocumentStub]],
    *,
    workers: int = 4,
    progress: Callable[[str, int], Callable[[str, Path | None, str | None], None]] | None = None,
) -> dict[str, Path]:
    """Fetch each filing (CIK, accession, form as listed) document by document: its headers
    page, then the documents ``choose(form, stubs)`` names, into the filing's folder in the
    cache. A filing whose documents have no file names (before about 2001) is fetched
    whole. Returns accession → folder (or ``.txt``) for each filing whose headers page
    came; a document that could not be had is a failure in ``client.stats`` (and reads as
    not fetched).
    ``progress(unit, total)`` gives the ``on_done`` callback of each of the two rounds."""
    pages = {index_headers_path(cik, acc): (cik, acc, form) for cik, acc, form in filings}
    on_page = progress("filing", len(pages)) if progress else None
    got = client.get_many(list(pages), workers=workers, on_done=on_page)
    wanted: list[str] = []
    whole: dict[str, str] = {}
    folders: dict[str, Path] = {}
    for path, page in got.items():
        cik, acc, form = pages[path]
        try:
            headers = parse_index_headers(page.read_text("utf-8", "replace"), name=page.name)
        except SourceError as exc:
            client.record_failure(path, exc.message)
            continue
        chosen = choose(form or _header_form(headers.header), headers.documents)
        if not all(s.filename and s.is_safe_name() for s in chosen):
            # filings before about 2001 name no files: the folder holds only the .txt
            whole[archive_path(cik, acc)] = acc
            continue
        folders[acc] = page.parent
        wanted.extend(document_path(cik, acc, s.filename) for s in chosen if s.filename)
    wanted.extend(whole)
    on_doc = progress("document", len(wanted)) if progress else None
    got = client.get_many(wanted, workers=workers, on_done=on_doc)
    folders.update({acc: got[p] for p, acc in whole.items() if p in got})
    return folders


_FORM_LINE = re.compile(r"CONFORMED SUBMISSION TYPE:[ \t]*(\S[^\r\n]*?)[ \t]*$", re.M)


def _header_form(header: str) -> str:
    """The form type a header states (``CONFORMED SUBMISSION TYPE``), or ''."""
    m = _FORM_LINE.search(header)
    return m.group(1) if m else ""
