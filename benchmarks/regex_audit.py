"""Every compiled pattern of the parsing layers against hostile strings, at n and 4n.

A pattern that scans linearly takes ~4× as long at 4n; one that backtracks takes ~16×
(quadratic) or far more. Prints each pattern whose time at 4n is over ``--floor`` seconds,
with the ratio; a pattern still running after ``--limit`` seconds is reported as such.
Issue 16 found a cubic one (8,000 spaces on a cover: 60 s) and one that took 200 s on
3,000 spaces; the run after the fix prints nothing over the floor.

    python benchmarks/regex_audit.py [--n 3000] [--floor 0.05] [--limit 3]
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Iterator
from types import FrameType

import workbench

#: layers whose patterns see filing text
LAYERS = ("workbench.sources", "workbench.text", "workbench.sgml", "workbench.forms")


def hostile(n: int) -> dict[str, str]:
    """Long runs of what the patterns' optional and repeated parts match."""
    return {
        "spaces": " " * n, "newlines": "\n" * n, "mixed whitespace": " \t\n" * (n // 3),
        "parens": "(" * n, "digits": "1" * n, "digits and commas": "1," * (n // 2),
        "dollar signs": "$ " * (n // 2), "dots": "." * n, "letters": "a " * (n // 2),
        "less-than": "<" * n, "ampersands": "&" * n, "dashes": "-" * n,
        "words": "Form " * (n // 5), "pipes": "| " * (n // 2), "underscores": "_" * n,
        "quotes": '"' * n, "boxes": "[ ] " * (n // 4), "spaced digits": "1 " * (n // 2),
    }  # fmt: skip


def patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """(module.name, pattern) for every module-level pattern (or tuple/dict of them)."""
    for info in pkgutil.walk_packages(workbench.__path__, "workbench."):
        if not info.name.startswith(LAYERS):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            items = value.values() if isinstance(value, dict) else value
            found = [value] if isinstance(value, re.Pattern) else (
                [v for v in items if isinstance(v, re.Pattern)]
                if isinstance(value, (dict, list, tuple)) else []
            )  # fmt: skip
            for i, pattern in enumerate(found):
                yield f"{info.name}.{name}" + (f"[{i}]" if len(found) > 1 else ""), pattern


class _Limit(BaseException):
    pass


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Limit


def _time(pattern: re.Pattern[str], text: str, limit: float) -> float:
    signal.setitimer(signal.ITIMER_REAL, limit)
    t0 = time.perf_counter()
    try:
        for _ in pattern.finditer(text):
            pass
        return time.perf_counter() - t0
    except _Limit:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--floor", type=float, default=0.05)
    parser.add_argument("--limit", type=float, default=3.0)
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _stop)
    small, big = hostile(args.n), hostile(4 * args.n)
    count = shown = 0
    for name, pattern in patterns():
        count += 1
        for kind in small:
            t4 = _time(pattern, big[kind], args.limit)
            if t4 < args.floor:
                continue
            t1 = _time(pattern, small[kind], args.limit)
            shown += 1
            print(f"{name:60} {kind:18} t(n)={t1:.3f}s t(4n)={t4:.3f}s ratio={t4 / t1:.1f}")
    print(
        f"{count} patterns × {len(small)} inputs at n={args.n} and 4n; {shown} over {args.floor}s"
    )


if __name__ == "__main__":
    main()
