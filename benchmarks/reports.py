"""Report rendering: seconds per report, and the batch speed-up on this machine's cores.

Runs ``company_timeliness`` and ``company_dilution`` on the bundled sample one by one
(kernel start, execution, HTML export), then the same batch of N parameter sets with one
worker and with two, and prints seconds per report and the speed-up.

    python benchmarks/reports.py [--n 6]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from workbench.pipeline import prepare_sample
from workbench.reports.run import run_batch, run_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=6, help="reports per batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = prepare_sample(Path(tmp) / "data")
        for name in ("company_dilution", "company_timeliness"):
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                run_report(name, {"company": "innovo"}, Path(tmp) / "single", data_dir=data)
                times.append(time.perf_counter() - t0)
            print(
                f"{name:<20} {min(times):5.2f} s per report (best of 3; median {sorted(times)[1]:.2f} s)"
            )
        sets = [{"company": "innovo", "start_year": str(2000 + i)} for i in range(args.n)]
        walls = {}
        for workers in (1, 2):
            t0 = time.perf_counter()
            results = run_batch("company_timeliness", sets, Path(tmp) / f"batch{workers}",
                                data_dir=data, workers=workers, progress=False)  # fmt: skip
            walls[workers] = time.perf_counter() - t0
            assert all(r.status == "ok" for r in results), [r.error for r in results]
            print(f"batch of {args.n}, {workers} worker(s): {walls[workers]:6.2f} s "
                  f"({walls[workers] / args.n:.2f} s per report, {args.n / walls[workers] * 60:.1f} reports/min)")  # fmt: skip
        print(f"speed-up with 2 workers: {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
