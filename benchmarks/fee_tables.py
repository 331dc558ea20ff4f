"""Score the fee-table reader against the field-level key of real Exhibit 107 tables.

    .venv/bin/python benchmarks/fee_tables.py [--corpus ../shared/corpus] [--verbose]

The key (``keys/ex107_dev_key.json``) was read cell by cell from each exhibit or taken from
its own ``ffd:`` facts; nothing in it comes from this code. Printed:

* fields right / fields in the key (rows: the key's nine fields; totals: the five totals),
* spurious rows (rows read that are not rows of the key's table),
* rows wrong without a warning (a key row read with a wrong field and no ``parse_issues``
  warning naming it; spurious rows without a warning count too),
* the ``ffd:``-vs-HTML agreement over every corpus filing that carries both.

Rows are aligned to the key in table order (an alignment that maximises the fields that
agree), so one dropped or extra row does not shift every later row.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from workbench import parse_filing
from workbench.forms.registration import FeeTable, read_fee_table

ROW_FIELDS = (
    "security_type", "security_title", "fee_rule", "shares_registered", "max_price_per_share",
    "max_aggregate_offering_price", "fee_rate_per_million", "registration_fee", "row_group",
)  # fmt: skip
TOTAL_FIELDS = (
    "total_offering_amount", "total_fee", "total_fees_previously_paid", "total_fee_offsets",
    "net_fee_due",
)  # fmt: skip


def _norm_text(v: Any) -> str | None:
    if v is None:
        return None
    s = re.sub(r"\(\s*\d{1,2}\s*\)|\*", " ", str(v))
    s = re.sub(r"^Rules?\s+", "", s.strip(), flags=re.IGNORECASE)
    s = re.sub(r"\s+", " ", s).strip(" ,;").lower()
    return s or None


def same(field: str, got: Any, want: Any) -> bool:
    """Whether a read value equals the key's (cents for money, 0.01 for rates)."""
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        try:
            g = float(got)
        except (TypeError, ValueError):
            return False
        tol = 0.011 if field.startswith(("fee_rate", "total", "net", "registration", "max")) else 0
        return abs(g - float(want)) <= max(tol, 1e-9)
    return _norm_text(got) == _norm_text(want)


def rows_of(table: FeeTable | None) -> list[dict[str, Any]]:
    """The reader's rows as key-shaped dicts (with their row number for warnings)."""
    if table is None:
        return []
    return [
        {
            "row_number": o.row_number,
            "security_type": o.security_type,
            "security_title": o.security_title,
            "fee_rule": o.fee_rule,
            "shares_registered": o.shares_registered,
            "max_price_per_share": o.max_price_per_share,
            "max_aggregate_offering_price": o.max_aggregate_offering_price,
            "fee_rate_per_million": o.fee_rate_per_million_stated,
            "registration_fee": o.registration_fee,
            "row_group": o.row_group,
        }
        for o in table.offerings
    ]


def totals_of(table: FeeTable | None) -> dict[str, Any]:
    """The reader's totals under the key's names."""
    if table is None:
        return {}
    return {
        "total_offering_amount": table.total_offering_amount,
        "total_fee": table.total_fee_stated,
        "total_fees_previously_paid": table.total_fees_previously_paid,
        "total_fee_offsets": table.total_fee_offsets,
        "net_fee_due": table.net_fee_due,
    }


def align(key_rows: list[dict[str, Any]], got: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Order-preserving alignment of key rows to read rows maximising agreeing fields."""
    n, m = len(key_rows), len(got)
    score = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            hit = sum(same(f, got[j][f], key_rows[i][f]) for f in ROW_FIELDS)
            score[i][j] = max(score[i + 1][j], score[i][j + 1], hit + score[i + 1][j + 1])
    pairs = []
    i = j = 0
    while i < n and j < m:
        hit = sum(same(f, got[j][f], key_rows[i][f]) for f in ROW_FIELDS)
        if score[i][j] == hit + score[i + 1][j + 1] and hit > 0:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _warned(messages: list[str], row_number: int | None) -> bool:
    if any(re.search(r"fee_table_unreadable|no reading reconciles", m) for m in messages):
        return True
    return row_number is not None and any(re.search(rf"\brow {row_number}\b", m) for m in messages)


def find(corpus: Path, accession: str) -> Path:
    """The corpus file of an accession number."""
    hits = sorted(corpus.glob(f"modern/*/{accession}.txt"))
    if not hits:
        raise SystemExit(f"{accession} not in {corpus}/modern")
    return hits[0]


def score(corpus: Path, verbose: bool = False) -> dict[str, int]:
    """Fields right, fields scored, spurious rows, silent wrong rows over the key."""
    key = json.loads((corpus / "keys" / "ex107_dev_key.json").read_text())
    right = total = spurious = silent = 0
    for accession, entry in key["filings"].items():
        filing = parse_filing(find(corpus, accession))
        table = read_fee_table(filing)
        got = rows_of(table)
        messages = [f"{code}: {msg}" for code, msg in (table.warnings if table else ())]
        pairs = align(entry["rows"], got)
        matched_key = {i for i, _ in pairs}
        matched_got = {j for _, j in pairs}
        f_right = f_total = 0
        for i, j in pairs:
            want, have = entry["rows"][i], got[j]
            ok = [f for f in ROW_FIELDS if same(f, have[f], want[f])]
            f_right += len(ok)
            if len(ok) < len(ROW_FIELDS) and not _warned(messages, have["row_number"]):
                silent += 1
            if verbose and len(ok) < len(ROW_FIELDS):
                bad = {f: (have[f], want[f]) for f in ROW_FIELDS if f not in ok}
                print(f"  {accession} row {i + 1}: got/want {bad}")
        f_total += len(ROW_FIELDS) * len(entry["rows"])
        for i in set(range(len(entry["rows"]))) - matched_key:
            if verbose:
                print(
                    f"  {accession} key row {i + 1} not read: {entry['rows'][i]['security_title']}"
                )
        extra = sorted(set(range(len(got))) - matched_got)
        spurious += len(extra)
        silent += sum(1 for j in extra if not _warned(messages, got[j]["row_number"]))
        if verbose:
            for j in extra:
                print(f"  {accession} spurious row: {got[j]}")
        have_totals = totals_of(table)
        for f in TOTAL_FIELDS:
            f_total += 1
            if same(f, have_totals.get(f), entry["totals"].get(f)):
                f_right += 1
            elif verbose:
                print(f"  {accession} {f}: got {have_totals.get(f)} want {entry['totals'].get(f)}")
        right += f_right
        total += f_total
        print(
            f"{accession} {entry['form']:<7} {entry['layout']:<26} "
            f"{f_right:>3}/{f_total:<3} rows {len(got)} (key {len(entry['rows'])}) "
            f"layout={table.layout if table else None}"
        )
    return {"right": right, "total": total, "spurious": spurious, "silent": silent}


def agreement(corpus: Path) -> tuple[int, int, int]:
    """(filings with both ffd facts and an HTML table, fields compared, fields agreeing)."""
    paths = sorted(corpus.glob("modern/*/*.txt")) + sorted(corpus.glob("exhibits/*.htm*"))
    n_filings = compared = agreed = 0
    for path in paths:
        filing = parse_filing(path)
        table = read_fee_table(filing)
        if table is None or table.xbrl_html_compared == 0:
            continue
        n_filings += 1
        compared += table.xbrl_html_compared
        agreed += table.xbrl_html_agreed
    return n_filings, compared, agreed


def main() -> None:
    """Print the score and the agreement."""
    parser = argparse.ArgumentParser(description=__doc__)
    default = os.environ.get(
        "WORKBENCH_CORPUS", str(Path(__file__).parents[1] / ".." / "shared" / "corpus")
    )
    parser.add_argument("--corpus", default=default)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    corpus = Path(args.corpus).resolve()
    s = score(corpus, args.verbose)
    pct = 100 * s["right"] / s["total"]
    print(
        f"\nkey fields right: {s['right']}/{s['total']} = {pct:.1f}%; spurious rows: "
        f"{s['spurious']}; wrong rows without a warning: {s['silent']}"
    )
    n, compared, agreed = agreement(corpus)
    rate = f"{100 * agreed / compared:.1f}%" if compared else "n/a"
    print(
        f"ffd facts vs HTML table: {n} filings with both, {agreed}/{compared} fields agree ({rate})"
    )
    sys.exit(0)


if __name__ == "__main__":
    main()
