"""Peak memory of parsing one file, per byte of the file: the largest real filings in the
corpus and synthetic worst cases (a dense table, a long unquoted attribute, a run of tags).

Each file is parsed in a fresh process; the figure is the growth of the peak resident set
over the process after imports, divided by the file's size.

    python benchmarks/memory_per_file.py [--mb 10] [--real 6]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(
    os.environ.get("WORKBENCH_CORPUS", Path(__file__).resolve().parents[2] / "shared/corpus")
)

_CHILD = """
import os, resource, sys
import polars  # noqa: F401  (imports are not the file's cost)
import workbench.frames.records as records
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
records.process_file(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((peak - base) * 1024)
"""

_BODIES = {
    "dense table": lambda n: (
        b"<table>" + b"<tr><td>1</td><td>2,000</td></tr>" * (n // 34) + b"</table>"
    ),
    "unquoted attribute": lambda n: b"<table><tr><td width=" + b"A" * n + b">x</td></tr></table>",
    "run of tags": lambda n: b"<b>" * (n // 3),
    "plain words": lambda n: b"<p>" + b"word " * (n // 5) + b"</p>",
}


def _wrap(body: bytes) -> bytes:
    head = b"<SEC-DOCUMENT>\n<SEC-HEADER>\nCONFORMED SUBMISSION TYPE:\tS-8\n</SEC-HEADER>\n"
    doc = b"<DOCUMENT>\n<TYPE>S-8\n<TEXT>\n<html><body>" + body + b"</body></html>\n</TEXT>\n"
    return head + doc + b"</DOCUMENT>\n</SEC-DOCUMENT>\n"


def _growth(path: Path) -> int:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                         text=True, check=True)  # fmt: skip
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=10, help="size of each synthetic file")
    parser.add_argument("--real", type=int, default=6, help="how many of the largest real files")
    args = parser.parse_args()
    rows: list[tuple[str, int, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in _BODIES.items():
            path = Path(tmp) / f"{name.replace(' ', '_')}.txt"
            path.write_bytes(_wrap(body(args.mb << 20)))
            rows.append((f"synthetic: {name}", path.stat().st_size, _growth(path)))
    real = sorted(
        (p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".htm", ".html") and p.is_file()),
        key=lambda p: p.stat().st_size, reverse=True,
    )[: args.real]  # fmt: skip
    rows += [(f"real: {p.name[:40]}", p.stat().st_size, _growth(p)) for p in real]
    print(f"{'file':<52} {'MB':>6} {'peak +MB':>9} {'bytes/byte':>10}")
    for name, size, grew in rows:
        print(f"{name:<52} {size / 1e6:6.1f} {grew / 1e6:9.1f} {grew / size:10.1f}")
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
