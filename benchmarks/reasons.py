"""Reason taxonomy over the 912 real 2025–2026 Part III narratives.

Prints the label distribution and the labelling throughput; the precision of the current
rules on the hand-judged pairs in ``docs/reason_precision_sample.csv`` (pairs the rules no
longer produce are counted apart); and with ``--sample N`` a stratified random sample
(N per label, fixed seed) with the evidence each rule matched, the form used for the hand
check in ``docs/reason_taxonomy.md``.

    python benchmarks/reasons.py [--corpus DIR] [--sample 6] [--seed 20261124]
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import random
import time
from pathlib import Path

from workbench.forms.reasons import (
    REASON_LABELS,
    judge,
    narrative_body,
    reason_labels,
    reason_matches,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(
        os.environ.get("WORKBENCH_CORPUS", Path(__file__).parents[1] / "../shared/corpus")
    )
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    path = args.corpus / "text" / "nt_narratives_2025_2026.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    t0 = time.perf_counter()
    labels = [reason_labels(r["narrative"]) for r in rows]
    elapsed = time.perf_counter() - t0
    counts = collections.Counter(label for ls in labels for label in ls)
    print(f"{len(rows)} narratives labelled in {elapsed:.3f} s ({len(rows) / elapsed:,.0f}/s)")
    print("| label | notices | share |\n|---|---:|---:|")
    for label in REASON_LABELS:
        print(f"| `{label}` | {counts[label]} | {counts[label] / len(rows):.1%} |")
    judged(rows, labels)
    scored(rows, labels)
    if not args.sample:
        return
    rng = random.Random(args.seed)
    for label in REASON_LABELS:
        hits = [r for r, ls in zip(rows, labels, strict=True) if label in ls]
        for r in rng.sample(hits, min(args.sample, len(hits))):
            body = narrative_body(r["narrative"])
            a, b = reason_matches(r["narrative"]).get(label, (0, 0))
            print(
                f"\n{label}|{r['accession_number']}|{body[max(0, a - 200) : a]}"
                f"[[{body[a:b]}]]{body[b : b + 150]}"
            )


def judged(rows: list[dict[str, str]], labels: list[tuple[str, ...]]) -> None:
    """Precision per label over the hand-judged pairs the current rules still produce."""
    by_acc = {r["accession_number"]: ls for r, ls in zip(rows, labels, strict=True)}
    sample = Path(__file__).parents[1] / "docs" / "reason_precision_sample.csv"
    tally: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    with sample.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label, now = row["label"], by_acc[row["accession_number"]]
            still = now == ("other",) if label == "other" else label in now
            t = tally[label]
            if still:
                t[0] += row["correct"] == "1"
                t[1] += 1
            else:
                t[2] += 1
    print("\n| label | judged pairs still produced | correct | precision | no longer produced |")
    print("|---|---:|---:|---:|---:|")
    total = [0, 0, 0]
    for label in REASON_LABELS:
        if label in tally:
            ok, n, gone = tally[label]
            total = [total[0] + ok, total[1] + n, total[2] + gone]
            print(
                f"| `{label}` | {n} | {ok} | {ok / n:.0%} | {gone} |"
                if n
                else f"| `{label}` | 0 | 0 | – | {gone} |"
            )
    print(f"| all | {total[1]} | {total[0]} | {total[0] / total[1]:.1%} | {total[2]} |")


def scored(rows: list[dict[str, str]], labels: list[tuple[str, ...]]) -> None:
    """Precision and recall per label against whole notices labelled by hand.

    ``docs/reason_recall_sample.csv`` gives, for seeded random notices, every label the
    narrative supports (``labels``) and those a reader could go either way on
    (``acceptable``: neither a hit nor a miss). Each round is printed apart: a round judged
    before the rules were changed is the first-pass figure.
    """
    by_acc = {r["accession_number"]: ls for r, ls in zip(rows, labels, strict=True)}
    sample = Path(__file__).parents[1] / "docs" / "reason_recall_sample.csv"
    rounds: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    with sample.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rounds[row["round"]].append(row)
    for name, judged_rows in rounds.items():
        tally: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
        exact = 0
        for row in judged_rows:
            found, wrong, missed = judge(
                set(row["labels"].split(";")),
                set(filter(None, row["acceptable"].split(";"))),
                set(by_acc[row["accession_number"]]),
            )
            exact += not (wrong or missed)
            for label in found | wrong | missed:
                t = tally[label]
                t[0] += label in found
                t[1] += label in wrong
                t[2] += label in missed
        print(f"\nround {name}: {len(judged_rows)} notices, {exact} labelled exactly right")
        print("| label | in sample | found | wrong | missed | precision | recall |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        total = [0, 0, 0]
        for label in sorted(tally, key=lambda x: (x not in REASON_LABELS, x)):
            tp, fp, fn = tally[label]
            total = [total[0] + tp, total[1] + fp, total[2] + fn]
            prec = f"{tp / (tp + fp):.0%}" if tp + fp else "–"
            rec = f"{tp / (tp + fn):.0%}" if tp + fn else "–"
            print(f"| `{label}` | {tp + fn} | {tp} | {fp} | {fn} | {prec} | {rec} |")
        tp, fp, fn = total
        print(
            f"| all | {tp + fn} | {tp} | {fp} | {fn} | {tp / (tp + fp):.1%} | {tp / (tp + fn):.1%} |"
        )


if __name__ == "__main__":
    main()
