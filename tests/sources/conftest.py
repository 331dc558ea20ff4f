"""A real HTTP server on 127.0.0.1 that serves ../shared/corpus in EDGAR's URL layout, with a
request log and fault injection: the flaky (429 + Retry-After, 503, dropped connections,
truncated and slow bodies) and the hostile (redirects to other hosts and in loops, gzip bombs,
endless bodies, drips, lying lengths, bad JSON, HTML pages). A second server on 127.0.0.2
stands for "another host"."""

from __future__ import annotations

import csv
import functools
import gzip
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from edgar_site import EdgarSite, corpus_site


@dataclass
class Request:
    at: float
    path: str
    user_agent: str | None
    accept_encoding: str | None


@dataclass
class EdgarServer:
    """Knobs and log of the fake EDGAR: ``faults[path]`` is a list consumed one per request
    ('429:N', '503', 'drop', 'truncate', 'slow')."""

    corpus: Path
    url: str = ""
    log: list[Request] = field(default_factory=list)
    faults: dict[str, list[str]] = field(default_factory=dict)
    #: bodies served instead of the corpus file (a server's lies about the content)
    bodies: dict[str, bytes] = field(default_factory=dict)
    gzip: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)
    archive: dict[str, Path] = field(default_factory=dict)
    #: EDGAR's whole layout built from the corpus (index files, filing folders, frames)
    site: EdgarSite | None = None

    def body(self, path: str) -> bytes | None:
        if path in self.bodies:
            return self.bodies[path]
        if self.site is not None:
            return self.site.body(path)
        if m := re.fullmatch(r"/Archives/edgar/data/(\d+)/(\d{10}-\d{2}-\d{6})\.txt", path):
            file = self.archive.get(f"{int(m.group(1))}/{m.group(2)}")
            return file.read_bytes() if file else None
        if re.fullmatch(r"/Archives/edgar/full-index/\d{4}/QTR[1-4]/master\.idx", path):
            return (self.corpus / "index/full-index/master.1993QTR4.sample.idx").read_bytes()
        if m := re.fullmatch(r"/submissions/(CIK\d{10}(?:-submissions-\d{3})?\.json)", path):
            file = self.corpus / "json/submissions" / m.group(1)
            return file.read_bytes() if file.exists() else None
        if path == "/files/company_tickers.json":
            return (self.corpus / "json/company_tickers.json").read_bytes()
        if m := re.fullmatch(r"/api/xbrl/companyfacts/(CIK\d{10}\.json)", path):
            file = self.corpus / "json/companyfacts" / m.group(1)
            return file.read_bytes() if file.exists() else None
        return None

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]


@functools.cache
def gzip_bomb(members: int = 1024) -> bytes:
    """1 GiB of zeros in about 1 MB: ``members`` gzip members of 1 MiB each."""
    return gzip.compress(bytes(1 << 20), 9) * members


def _head(handler: BaseHTTPRequestHandler, status: int, **headers: str) -> None:
    handler.send_response(status)
    for k, v in headers.items():
        handler.send_header(k.replace("_", "-"), v)
    handler.end_headers()


def _redirect(h: BaseHTTPRequestHandler, arg: str) -> None:  # to ``arg``: a URL or a path
    _head(h, 302, Location=arg or h.path, Content_Length="0")


def _bomb(h: BaseHTTPRequestHandler, arg: str) -> None:
    body = gzip_bomb()
    _head(h, 200, Content_Encoding="gzip", Content_Length=str(len(body)))
    _write(h, body)


def _endless(h: BaseHTTPRequestHandler, arg: str) -> None:  # chunked, 4 GiB unless cut
    _head(h, 200, Transfer_Encoding="chunked")
    block = b"A" * (1 << 20)
    chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
    for _ in range(4096):
        if not _write(h, chunk):
            break


def _huge_length(h: BaseHTTPRequestHandler, arg: str) -> None:  # says 4 GiB, sends 1,000
    _head(h, 200, Content_Length=str(4 << 30))
    _write(h, b"A" * 1000)


def _drip(h: BaseHTTPRequestHandler, arg: str) -> None:  # a byte every ``arg`` seconds
    _head(h, 200, Content_Length="1000")
    for _ in range(1000):
        if not _write(h, b"A"):
            break
        time.sleep(float(arg or 0.5))


def _no_length(h: BaseHTTPRequestHandler, arg: str) -> None:  # read-until-close, cut
    body = h.server.edgar.body(h.path) or b"x" * 1000  # type: ignore[attr-defined]
    _head(h, 200, Connection="close")
    _write(h, body[: len(body) // 2])


def _bad_length(h: BaseHTTPRequestHandler, arg: str) -> None:
    _head(h, 200, Content_Length="12abc")


def _encoding(h: BaseHTTPRequestHandler, arg: str) -> None:
    _head(h, 200, Content_Encoding="br", Content_Length="4")
    _write(h, b"\x00\x01\x02\x03")


def _retry_after_date(h: BaseHTTPRequestHandler, arg: str) -> None:
    _head(h, 429, Retry_After="Wed, 21 Oct 2015 07:28:00 -0000", Content_Length="0")


_HOSTILE = {
    "redirect": _redirect, "bomb": _bomb, "endless": _endless, "huge-length": _huge_length,
    "drip": _drip, "no-length": _no_length, "bad-length": _bad_length, "encoding": _encoding,
    "retry-after-date": _retry_after_date,
}  # fmt: skip


def _hostile(handler: BaseHTTPRequestHandler, fault: str) -> bool:
    """Answer with a hostile fault ('kind:arg'); False when ``fault`` is not one of them."""
    kind, _, arg = fault.partition(":")
    answer = _HOSTILE.get(kind)
    if answer is None:
        return False
    answer(handler, arg)
    handler.close_connection = True
    return True


def _write(handler: BaseHTTPRequestHandler, data: bytes) -> bool:
    try:
        handler.wfile.write(data)
        handler.wfile.flush()
        return True
    except OSError:  # the client hung up, as it should
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ThreadingHTTPServer

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        edgar: EdgarServer = self.server.edgar  # type: ignore[attr-defined]
        with edgar.lock:
            edgar.log.append(Request(time.monotonic(), self.path, self.headers.get("User-Agent"),
                                     self.headers.get("Accept-Encoding")))  # fmt: skip
            queue = edgar.faults.get(self.path)
            fault = queue.pop(0) if queue else None
        if fault == "drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if fault and fault.startswith("429"):
            return self._send(429, b"slow down", {"Retry-After": fault.split(":")[1]})
        if fault == "503":
            return self._send(503, b"busy")
        if fault and _hostile(self, fault):
            return None
        body = edgar.body(self.path)
        if body is None:
            return self._send(404, b"not found")
        headers = {"Content-Type": "application/octet-stream"}
        if edgar.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if fault in ("truncate", "slow"):
            self.send_response(200)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if fault == "slow":
                time.sleep(30)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        return self._send(200, body, headers)


def _serve(edgar: EdgarServer, host: str):
    server = ThreadingHTTPServer((host, 0), _Handler)
    server.daemon_threads = True
    edgar.url = f"http://{host}:{server.server_address[1]}"
    server.edgar = edgar  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def other_host(corpus):
    """Another host (127.0.0.2) serving the same files: nothing may reach it."""
    edgar = EdgarServer(corpus=corpus)
    server = _serve(edgar, "127.0.0.2")
    yield edgar
    server.shutdown()
    server.server_close()


@pytest.fixture
def edgar_server(corpus):
    edgar = EdgarServer(corpus=corpus)
    with (corpus / "MANIFEST.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = Path(row["path"]).name
            if row["cik"] and re.fullmatch(r"\d{10}-\d{2}-\d{6}\.txt", name):
                edgar.archive[f"{int(row['cik'])}/{name[:-4]}"] = corpus / row["path"]
    server = _serve(edgar, "127.0.0.1")
    yield edgar
    server.shutdown()
    server.server_close()


@pytest.fixture
def corpus_edgar(corpus):
    """EDGAR on 127.0.0.1 serving the corpus in EDGAR's layout (``tests/edgar_site.py``)."""
    edgar = EdgarServer(corpus=corpus, site=corpus_site(corpus))
    server = _serve(edgar, "127.0.0.1")
    yield edgar
    server.shutdown()
    server.server_close()
