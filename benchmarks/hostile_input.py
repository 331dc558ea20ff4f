"""Hostile input stays linear: parse time at size n and 4n for each shape the fault run
found slow (issue 16). A linear parser shows a ratio near 4; the old tag pattern showed
~16 on unclosed ``<td`` (8,000 of them: 8.5 s; 40,000: over 300 s).

    python benchmarks/hostile_input.py [--n 20000] [--repeat 3]

Each size is run ``--repeat`` times, alternating n and 4n; medians are printed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from workbench.forms.filing import parse_filing
from workbench.frames.records import FileRecords, filing_rows
from workbench.sources.files import source_from_bytes

SHAPES: dict[str, Callable[[int], bytes]] = {
    "unclosed <td": lambda n: ("<html><body><table><tr>" + "<td" * n).encode(),
    'unclosed title="': lambda n: ('<html><body><a title="' * n).encode(),
    "unclosed <!x": lambda n: ("<html><body>" + "<!x" * n).encode(),
    "long unquoted attribute": lambda n: (
        "<html><body><div class=" + "a" * (50 * n) + ">x</div>"
    ).encode(),
    "spaces in a header line": lambda n: (
        "<SEC-HEADER>\nCOMPANY CONFORMED NAME:" + " " * (50 * n) + "X\n</SEC-HEADER>\n"
    ).encode(),
    "unclosed <DOCUMENT>": lambda n: ("<DOCUMENT>\n<TYPE>10-K\n<TEXT>\n" * n).encode(),
}


def _once(data: bytes) -> float:
    t0 = time.perf_counter()
    filing_rows(parse_filing(source_from_bytes(data, path="hostile.htm")), FileRecords("x", None))
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'shape':26} {'bytes(n)':>10} {'t(n) s':>8} {'t(4n) s':>8} {'ratio':>6}")
    for name, make in SHAPES.items():
        small, big = make(args.n), make(4 * args.n)
        ts: list[float] = []
        tb: list[float] = []
        for _ in range(args.repeat):  # alternate the two sizes
            ts.append(_once(small))
            tb.append(_once(big))
        a, b = statistics.median(ts), statistics.median(tb)
        print(f"{name:26} {len(small):>10,} {a:8.3f} {b:8.3f} {b / a if a else float('nan'):6.1f}")


if __name__ == "__main__":
    main()
