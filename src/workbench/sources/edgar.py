"""An HTTP client for EDGAR under the SEC's fair-access rules, with a disk cache in EDGAR's
own layout.

* Every request carries a declared User-Agent ("Name email"); the SEC blocks anonymous ones.
* One limiter per client (``pyrate-limiter``), shared by every thread: requests evenly
  spaced, at most ``rate`` in any one-second window (default 8; the SEC's ceiling is 10).
* Retries (``tenacity``) on 429 and 5xx, dropped connections, timeouts and truncated bodies,
  with exponential backoff, honouring ``Retry-After``. A 404 is final.
* The cache mirrors the URL path (``Archives/edgar/data/320193/0000320193-97-000011.txt``,
  ``submissions/CIK0000320193.json``). A file is written to a temporary name and renamed
  when complete, so an interrupted run never leaves a partial file under a real name; a
  rerun skips what is there. ``offline=True`` never creates an HTTP client at all.
* One base URL stands in for both ``https://www.sec.gov`` and ``https://data.sec.gov`` when
  given (a mirror, a test server); without it each path goes to its real host.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pyrate_limiter import Limiter, Rate
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from workbench.errors import SourceError, ValidationError

WWW = "https://www.sec.gov"
DATA = "https://data.sec.gov"
_DATA_PREFIXES = ("/submissions/", "/api/")
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_USER_AGENT = re.compile(r"^\S.*\s\S+@\S+\.\S+$")


def archive_path(cik: int, accession_number: str) -> str:
    """``/Archives/edgar/data/<cik>/<accession>.txt``: the complete submission file."""
    if not re.fullmatch(r"\d{10}-\d{2}-\d{6}", accession_number):
        raise ValidationError(f"not an accession number: {accession_number!r}")
    return f"/Archives/edgar/data/{int(cik)}/{accession_number}.txt"


def full_index_path(year: int, quarter: int, kind: str = "form") -> str:
    """``/Archives/edgar/full-index/<year>/QTR<n>/<kind>.idx``."""
    if not 1993 <= year <= 2100 or quarter not in (1, 2, 3, 4):
        raise ValidationError(f"no full index for {year} Q{quarter}")
    if kind not in ("form", "master", "company"):
        raise ValidationError(f"unknown index kind {kind!r}")
    return f"/Archives/edgar/full-index/{year}/QTR{quarter}/{kind}.idx"


def submissions_path(cik: int) -> str:
    """``/submissions/CIK##########.json``."""
    return f"/submissions/CIK{int(cik):010d}.json"


def companyfacts_path(cik: int) -> str:
    """``/api/xbrl/companyfacts/CIK##########.json``."""
    return f"/api/xbrl/companyfacts/CIK{int(cik):010d}.json"


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
    except (TypeError, ValueError):
        return None
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
        max_wait: float = 60.0,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.offline = offline
        self.base_url = (base_url or os.environ.get("WORKBENCH_EDGAR_URL") or "").rstrip("/")
        self.retries = retries
        self.max_wait = max_wait
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
        self._client = httpx.Client(
            headers={"User-Agent": agent, "Accept-Encoding": "gzip, deflate"},
            timeout=timeout,
            follow_redirects=True,
        )

    # --- paths -----------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The URL of an EDGAR path: the base URL when set, else www or data.sec.gov."""
        if self.base_url:
            return self.base_url + path
        return (DATA if path.startswith(_DATA_PREFIXES) else WWW) + path

    def cache_path(self, path: str) -> Path:
        """Where ``path`` lives in the cache (EDGAR's own layout)."""
        rel = Path(path.lstrip("/"))
        if ".." in rel.parts or rel.is_absolute():
            raise ValidationError(f"unsafe EDGAR path {path!r}")
        return self.cache_dir / rel

    # --- fetching --------------------------------------------------------------------------

    def get(self, path: str, *, refresh: bool = False) -> Path:
        """The cached file for ``path``, downloading it first when missing (or ``refresh``).

        Raises ``SourceError`` when it cannot be had (offline and not cached, 404, retries
        exhausted)."""
        target = self.cache_path(path)
        if target.exists() and not refresh:
            with self._lock:
                self.stats.cached += 1
            return target
        if self.offline:
            raise SourceError(f"{path} is not in the cache and the run is offline", path=path)
        try:
            n = self._download(self.url(path), target)
        except SourceError:
            raise
        except _Retryable as exc:
            raise SourceError(
                f"{path}: gave up after {self.retries} tries: {exc}", path=path
            ) from exc
        with self._lock:
            self.stats.fetched += 1
            self.stats.bytes += n
        return target

    def get_json(self, path: str, *, refresh: bool = False) -> Any:
        """``get`` and parse as JSON (a file that does not parse is removed and an error)."""
        target = self.get(path, refresh=refresh)
        try:
            return json.loads(target.read_bytes())
        except ValueError as exc:
            target.unlink(missing_ok=True)
            raise SourceError(f"{path}: not JSON ({exc})", path=path) from exc

    def get_many(
        self,
        paths: Sequence[str],
        *,
        workers: int = 4,
        on_done: Callable[[str, Path | None, str | None], None] | None = None,
    ) -> dict[str, Path]:
        """Fetch many paths on ``workers`` threads (the limiter is shared); failures are
        counted in ``stats`` and reported through ``on_done(path, file, error)``."""

        def one(path: str) -> tuple[str, Path | None, str | None]:
            try:
                return path, self.get(path), None
            except SourceError as exc:
                with self._lock:
                    self.stats.failed += 1
                    self.stats.failures.append((path, exc.message))
                return path, None, exc.message

        done: dict[str, Path] = {}
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for path, file, error in pool.map(one, paths):
                if file is not None:
                    done[path] = file
                if on_done is not None:
                    on_done(path, file, error)
        return done

    def _download(self, url: str, target: Path) -> int:
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
                return self._once(url, target)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, target: Path) -> int:
        self._limiter.try_acquire("edgar")
        with self._lock:
            self.stats.requests += 1
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.part")
        try:
            with self._client.stream("GET", url) as resp:
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
                expected = resp.headers.get("Content-Length")
                with tmp.open("wb") as fh:
                    for chunk in resp.iter_bytes():
                        fh.write(chunk)
                    fh.flush()
                    os.fsync(fh.fileno())
                on_wire = resp.num_bytes_downloaded
                if expected is not None and expected.isdigit() and on_wire < int(expected):
                    raise _Retryable(f"truncated body: {on_wire} of {expected} bytes")
            size = tmp.stat().st_size
            tmp.replace(target)
            return size
        except httpx.TransportError as exc:  # dropped connection, timeout, short body
            raise _Retryable(f"{type(exc).__name__}: {exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- what to fetch -----------------------------------------------------------------------------


def submissions_pages(client: EdgarClient, cik: int) -> list[Path]:
    """The company's submissions JSON and every older page it lists."""
    main = client.get(submissions_path(cik))
    data = json.loads(main.read_bytes())
    pages = [main]
    for page in (data.get("filings") or {}).get("files") or []:
        name = str(page.get("name", ""))
        if re.fullmatch(r"CIK\d{10}-submissions-\d{3}\.json", name):
            pages.append(client.get(f"/submissions/{name}"))
    return pages


def filings_listed(
    pages: Iterable[Path],
    *,
    forms: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[dict[str, str]]:
    """``accession_number``, ``form``, ``filing_date`` of every filing the pages list, newest
    first, kept when its form is in ``forms`` (all when empty) and its date in range."""
    wanted = {f.strip().upper() for f in forms if f.strip()}
    out: dict[str, dict[str, str]] = {}
    for page in pages:
        data = json.loads(Path(page).read_bytes())
        table = (data.get("filings") or {}).get("recent") if "filings" in data else data
        if not table:
            continue
        for acc, form, filed in zip(
            table.get("accessionNumber", []), table.get("form", []), table.get("filingDate", []),
            strict=False,
        ):  # fmt: skip
            if wanted and str(form).upper() not in wanted:
                continue
            day = dt.date.fromisoformat(filed)
            if (since and day < since) or (until and day > until):
                continue
            out[acc] = {"accession_number": acc, "form": form, "filing_date": filed}
    return sorted(out.values(), key=lambda r: r["filing_date"], reverse=True)
