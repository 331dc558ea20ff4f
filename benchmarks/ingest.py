"""Throughput of the document model over the real corpus, beside the ``secsgml`` package.

Reads every complete submission in ``../shared/corpus/filings`` (or $WORKBENCH_CORPUS) into
memory, repeats the set until at least ``--min-mb`` megabytes, then times

* ours: ``decode`` + ``parse_submission`` (header, every document split and classified);
* secsgml: ``parse_sgml_content_into_memory`` on the same bytes.

Prints MB/s, filings/s and the ratio. Single process, so the numbers compare like for like.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from workbench.sgml.submission import parse_submission
from workbench.sources.files import source_from_bytes


def _corpus() -> Path:
    env = os.environ.get("WORKBENCH_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _ours(blobs: list[bytes]) -> int:
    docs = 0
    for data in blobs:
        docs += len(parse_submission(source_from_bytes(data)).documents)
    return docs


def _secsgml(blobs: list[bytes]) -> tuple[int, int]:
    from secsgml import parse_sgml_content_into_memory

    docs = failed = 0
    for data in blobs:
        try:
            _, documents = parse_sgml_content_into_memory(bytes_content=data)
            docs += len(documents)
        except Exception:
            failed += 1
    return docs, failed


def main() -> None:
    """Run the comparison and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-mb", type=float, default=200.0)
    args = parser.parse_args()
    files = sorted((_corpus() / "filings").rglob("*.txt"))
    base = [p.read_bytes() for p in files]
    blobs: list[bytes] = []
    while sum(map(len, blobs)) < args.min_mb * 1e6:
        blobs.extend(base)
    mb = sum(map(len, blobs)) / 1e6
    print(f"{len(blobs)} submissions ({len(files)} distinct), {mb:.1f} MB")

    t0 = time.perf_counter()
    ours_docs = _ours(blobs)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs_docs, theirs_failed = _secsgml(blobs)
    theirs_s = time.perf_counter() - t0

    print(f"{'parser':<12}{'seconds':>10}{'MB/s':>10}{'filings/s':>12}{'documents':>12}")
    print(
        f"{'workbench':<12}{ours_s:>10.2f}{mb / ours_s:>10.1f}{len(blobs) / ours_s:>12.0f}{ours_docs:>12}"
    )
    print(
        f"{'secsgml':<12}{theirs_s:>10.2f}{mb / theirs_s:>10.1f}{len(blobs) / theirs_s:>12.0f}"
        f"{theirs_docs:>12}  ({theirs_failed} raised)"
    )
    print(f"ratio workbench/secsgml throughput: {theirs_s / ours_s:.2f}x")


if __name__ == "__main__":
    main()
