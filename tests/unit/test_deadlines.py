"""Due dates and filing dates against the cases stated in shared/reference/edgar-rules.md."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import polars as pl
import pytest

from workbench.analytics.calendar import is_business_day, roll_forward
from workbench.analytics.deadlines import due_dates, edgar_filing_date, filing_dates
from workbench.errors import ValidationError

D = dt.date


def _triple(form, period_end, category):
    d = due_dates(form, period_end, category)
    return d.due_date, d.nt_deadline, d.extended_due_date


def test_seed_notice_case():
    assert _triple("10-K", D(2002, 11, 30), "non_accelerated") == (
        D(2003, 2, 28), D(2003, 3, 3), D(2003, 3, 17),
    )  # fmt: skip


def test_reference_worked_example_sunday_due_date():
    """§2.2: due Sun Sept 13 → Mon Sept 14; NT by Tue Sept 15; extended Sept 29."""
    assert _triple("10-K", D(2015, 6, 15), "non_accelerated") == (
        D(2015, 9, 14), D(2015, 9, 15), D(2015, 9, 29),
    )  # fmt: skip


def test_reference_weekend_roll_of_the_extension():
    """§2.2: 10-Q due Sun Aug 14 → Mon Aug 15; + 5 = Sat Aug 20 → Mon Aug 22."""
    due, nt, ext = _triple("10-Q", D(2011, 6, 30), "non_accelerated")
    assert (due, ext) == (D(2011, 8, 15), D(2011, 8, 22))
    assert nt == D(2011, 8, 16)


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (D(2018, 12, 5), False),  # G.H.W. Bush day of mourning
        (D(2020, 12, 24), False),  # Christmas Eve order
        (D(2021, 6, 18), False),  # first Juneteenth
        (D(2025, 1, 9), False),  # Carter day of mourning
        (D(2023, 11, 10), False),  # Veterans Day observed on the Friday
        (D(2024, 10, 14), False),  # Columbus Day
        (D(2025, 12, 24), False),  # EDGAR closed 24 and 26 Dec 2025 (SEC announcement)
        (D(2025, 12, 26), False),
        (D(2025, 12, 29), True),  # EDGAR's next operational business day
        (D(2024, 12, 24), True),  # EDGAR closure unconfirmed: not applied
        (D(2018, 12, 6), True),
    ],
)
def test_business_days(day, business):
    assert is_business_day(day) is business


def test_holiday_and_closure_edges():
    # 10-Q for a quarter ended 2024-11-25, 45 days → Thu 2025-01-09 (closed) → Fri 01-10
    assert due_dates("10-Q", D(2024, 11, 25), "non_accelerated").due_date == D(2025, 1, 10)
    # Juneteenth 2021: a due date of Fri 2021-06-18 moves to Mon 06-21
    assert roll_forward(D(2021, 6, 18)) == D(2021, 6, 21)
    # 2018-12-05 closed: a report due that day is timely on 12-06
    assert roll_forward(D(2018, 12, 5)) == D(2018, 12, 6)
    # 10-K, period ended 2025-09-25, 90 days → Wed 12-24 (closed), 25 (Christmas), 26
    # (closed), weekend → Mon 12-29; the notice by Tue 12-30; 15 days on: Tue 2026-01-13
    d = due_dates("10-K", D(2025, 9, 25), "non_accelerated")
    assert (d.due_date, d.nt_deadline, d.extended_due_date) == (
        D(2025, 12, 29), D(2025, 12, 30), D(2026, 1, 13),
    )  # fmt: skip
    # a 10-Q due on the 26th (quarter ended 2025-11-11, 45 days) is timely on the 29th too
    assert due_dates("10-Q", D(2025, 11, 11), "non_accelerated").due_date == D(2025, 12, 29)


@pytest.mark.parametrize(
    ("form", "period_end", "category", "days"),
    [
        ("10-K", D(2003, 12, 14), "accelerated", 90),  # phase-in year 1
        ("10-K", D(2003, 12, 15), "accelerated", 75),
        ("10-K", D(2004, 12, 31), "large_accelerated", 75),  # LAF did not exist: as AF
        ("10-K", D(2006, 12, 14), "large_accelerated", 75),
        ("10-K", D(2006, 12, 15), "large_accelerated", 60),
        ("10-K", D(2020, 12, 31), "smaller_reporting", 90),
        ("10-Q", D(2003, 9, 30), "accelerated", 45),  # prior FYE 2002-12-31
        ("10-Q", D(2004, 3, 31), "accelerated", 40),  # prior FYE 2003-12-31
        ("10-Q", D(2005, 9, 30), "large_accelerated", 40),
        ("10-Q", D(2024, 3, 31), "non_accelerated", 45),
        ("11-K", D(2023, 12, 31), "non_accelerated", 180),
        ("N-CEN", D(2023, 12, 31), "non_accelerated", 75),
    ],
)
def test_rule_eras(form, period_end, category, days):
    d = due_dates(form, period_end, category)
    assert d.deadline_rule == f"{days} days after period end"
    assert d.due_date == roll_forward(period_end + dt.timedelta(days=days))


def test_20f_six_then_four_calendar_months():
    assert due_dates("20-F", D(2011, 12, 14), "accelerated").deadline_rule == (
        "6 months after period end"
    )
    d = due_dates("20-F", D(2011, 12, 31), "accelerated")
    assert (d.deadline_rule, d.due_date) == ("4 months after period end", D(2012, 4, 30))
    assert due_dates("20-F", D(2023, 6, 30), "accelerated").due_date == D(2023, 10, 31)
    assert due_dates("20-F", D(2023, 6, 30), "accelerated").extended_due_date == D(2023, 11, 15)


def test_40f_has_no_12b25_relief_and_transition_reports_follow_their_form():
    d = due_dates("40-F", D(2023, 12, 31), "large_accelerated")
    assert d.due_date is not None and d.nt_deadline is None and d.extended_due_date is None
    assert _triple("10-KT", D(2023, 6, 30), "accelerated") == _triple(
        "10-K", D(2023, 6, 30), "accelerated"
    )
    assert due_dates("10-QSB", D(2004, 3, 31), "non_accelerated").report_type == "10-Q"


def test_unknown_category_gives_every_candidate():
    d = due_dates("10-K", D(2023, 12, 31), "unknown")
    assert d.due_date is None
    assert {c.filer_category: c.due_date for c in d.candidates} == {
        "large_accelerated": D(2024, 2, 29),
        "accelerated": D(2024, 3, 15),
        "non_accelerated": D(2024, 4, 1),  # Sat 03-30 → Mon 04-01
        "smaller_reporting": D(2024, 4, 1),
    }


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValidationError, match="no deadline rule"):
        due_dates("8-K", D(2023, 12, 31), "accelerated")
    with pytest.raises(ValidationError, match="filer category"):
        due_dates("10-K", D(2023, 12, 31), "huge")


@pytest.mark.parametrize(
    ("accepted", "form", "expected"),
    [
        ("2003-02-28T17:30:00", None, D(2003, 2, 28)),  # at the cut-off: same day
        ("2003-02-28T17:30:59.9", None, D(2003, 2, 28)),  # EDGAR compares to the minute
        ("2003-02-28T17:31:00", None, D(2003, 3, 3)),  # Friday after 5:30 pm → Monday
        ("2003-03-01T10:00:00", None, D(2003, 3, 3)),  # Saturday → Monday
        ("2024-07-03T21:59:00", "4", D(2024, 7, 3)),  # Form 4: 10 pm cut-off
        ("2024-07-03T22:01:00", "4", D(2024, 7, 5)),  # July 4 closed
        ("2024-03-15T21:29:00+00:00", None, D(2024, 3, 15)),  # 5:29 pm EDT
        ("2024-03-15T21:31:00+00:00", None, D(2024, 3, 18)),  # 5:31 pm EDT
        ("2024-01-12T22:29:00+00:00", None, D(2024, 1, 12)),  # 5:29 pm EST
    ],
)
def test_edgar_filing_date(accepted, form, expected):
    assert edgar_filing_date(accepted, form) == expected


def test_cli_deadline_json():
    out = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "deadline", "--form", "10-K", "--period-end",
         "2002-11-30", "--filer-category", "non_accelerated", "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(out.stdout) == {
        "due_date": "2003-02-28", "nt_deadline": "2003-03-03", "extended_due_date": "2003-03-17",
    }  # fmt: skip
    bad = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "deadline", "--form", "8-K", "--period-end",
         "2002-11-30"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and "no deadline rule" in bad.stderr


def test_month_arithmetic_and_period_inference():
    import polars as pl

    from workbench.analytics.calendar import add_months
    from workbench.analytics.timeliness import build_timeliness

    days = pl.DataFrame({"d": [D(2023, 6, 30), D(2024, 1, 31), D(2023, 11, 15), D(2024, 2, 29)]})
    got = days.select(add_months(pl.col("d"), 4).alias("x"), add_months(pl.col("d"), -3).alias("y"))
    assert got["x"].to_list() == [D(2023, 10, 31), D(2024, 5, 31), D(2024, 3, 15), D(2024, 6, 30)]
    assert got["y"].to_list() == [D(2023, 3, 31), D(2023, 10, 31), D(2023, 8, 15), D(2023, 11, 30)]
    index = pl.LazyFrame(
        {
            "cik": [1, 1, 2, 2, 3],
            "company_name": ["A", "A", "B", "B", "C"],
            "form_type": ["NT 10-K", "10-K", "10-Q", "10-Q/A", "13F-NT"],
            "filed_date": [
                D(2024, 4, 1),
                D(2024, 4, 10),
                D(2024, 1, 8),
                D(2024, 2, 1),
                D(2024, 2, 14),
            ],
            "period_end": [None, None, None, None, None],
            "fiscal_year_end": [None, None, "0930", "0930", None],
            "filer_category_stated": [None, None, "Accelerated filer", None, None],
            "accession_number": ["a1", "a2", "b1", "b2", "c1"],
        },
        schema_overrides={"period_end": pl.Date},
    )
    panel = build_timeliness(index).collect()
    assert panel.height == 2  # 13F-NT is not a notice; the 10-Q/A joins its report
    a = panel.filter(pl.col("cik") == 1).row(0, named=True)
    # FYE unknown: the last calendar quarter end three weeks before → 2023-12-31
    assert (a["period_end"], a["period_end_source"]) == (
        D(2023, 12, 31),
        "inferred_calendar_quarter",
    )
    assert (a["due_date"], a["status"]) == (D(2024, 4, 1), "late_cured")  # NT on the due date
    b = panel.filter(pl.col("cik") == 2).row(0, named=True)
    # FYE 0930: a 10-Q filed 2024-01-08 covers the quarter ended 2023-12-31
    assert (b["period_end"], b["period_end_source"]) == (D(2023, 12, 31), "inferred_from_fye")
    assert (b["filer_category"], b["due_date"], b["status"]) == (
        "accelerated",
        D(2024, 2, 9),
        "on_time",
    )
    assert (b["n_reports"], b["n_amendments"]) == (1, 1)


def test_a_day_edgar_held_open_dates_earlier_late_acceptances_that_day():
    """Mon 2022-08-15: EDGAR dated a submission accepted at 18:09 that day, so one accepted
    at 17:44 (no stated date) is dated that day too; one at 18:20 is not; the 18:09 row's
    own date is not evidence for itself."""
    et = "America/New_York"
    frame = pl.LazyFrame(
        {
            "accepted": [
                dt.datetime(2022, 8, 15, 18, 9),
                dt.datetime(2022, 8, 15, 17, 44),
                dt.datetime(2022, 8, 15, 18, 20),
                dt.datetime(2022, 8, 16, 17, 44),
            ],
            "stated": [D(2022, 8, 15), None, None, None],
        },
        schema={"accepted": pl.Datetime("us"), "stated": pl.Date},
    ).with_columns(pl.col("accepted").dt.replace_time_zone(et))  # wall-clock Eastern times
    with_evidence = filing_dates(frame, "accepted", stated="stated").collect()
    assert with_evidence["edgar_filing_date"].to_list() == [
        D(2022, 8, 16), D(2022, 8, 15), D(2022, 8, 16), D(2022, 8, 17),
    ]  # fmt: skip
    plain = filing_dates(frame, "accepted").collect()
    assert plain["edgar_filing_date"].to_list() == [
        D(2022, 8, 16), D(2022, 8, 16), D(2022, 8, 16), D(2022, 8, 17),
    ]  # fmt: skip


def test_52_53_week_year_counts_from_the_actual_period_end():
    # Saturday 2024-09-28 + 90 days: 2 (Sep) + 31 + 30 + 27 = Friday 2024-12-27, a business
    # day; from the calendar quarter end it would be Monday 12-30 (the rule is the former)
    d = due_dates("10-K", dt.date(2024, 9, 28), "non_accelerated")
    assert d.due_date == dt.date(2024, 12, 27)
    assert due_dates("10-K", dt.date(2024, 9, 30), "non_accelerated").due_date == dt.date(
        2024, 12, 30
    )


def test_first_report_after_registration_is_due_from_the_effective_date():
    # 0001213900-25-108274 states its 10-Q for the quarter ended 2025-06-30 due 2025-11-10:
    # 45 days after effectiveness on 2025-09-26 (4 + 31 + 10), later than 2025-08-14
    d = due_dates("10-Q", "2025-06-30", "non_accelerated", registration_effective="2025-09-26")
    assert (d.due_date, d.nt_deadline, d.extended_due_date) == (
        dt.date(2025, 11, 10),
        dt.date(2025, 11, 12),
        dt.date(2025, 11, 17),
    )  # fmt: skip  (11-11 is Veterans Day; 11-15 a Saturday)
    assert "registration effective 2025-09-26" in (d.deadline_rule or "")
    # effective long before: the normal deadline is the later one and stays
    early = due_dates("10-Q", "2025-06-30", "non_accelerated", registration_effective="2025-05-01")
    assert (
        early.due_date == dt.date(2025, 8, 14) and early.deadline_rule == "45 days after period end"
    )
    # a special report on Form 10-K (Rule 15d-2): 90 days after effectiveness 2025-03-03
    k = due_dates("10-K", "2024-12-31", "non_accelerated", registration_effective="2025-03-03")
    assert k.due_date == dt.date(2025, 6, 2)  # 28 + 30 + 31 + 1 = 90 → Sunday 06-01 → 06-02


def test_the_panel_applies_the_registration_rule_only_when_the_data_can_tell():
    from workbench.analytics.timeliness import build_timeliness

    D = dt.date
    rows = [  # (cik, form, filed, period_end, source)
        (1, "EFFECT", D(2025, 9, 26), None, "submissions_json"),
        (1, "S-1", D(2025, 5, 2), None, "submissions_json"),
        (1, "NT 10-Q", D(2025, 11, 12), D(2025, 6, 30), "submissions_json"),
        (1, "10-Q", D(2025, 11, 14), D(2025, 6, 30), "submissions_json"),
        # an established reporter's S-3 goes effective: its 10-Q keeps the normal deadline
        (2, "10-K", D(2025, 3, 20), D(2024, 12, 31), "submissions_json"),
        (2, "EFFECT", D(2025, 9, 26), None, "submissions_json"),
        (2, "10-Q", D(2025, 8, 20), D(2025, 6, 30), "submissions_json"),
        # only index files reaching 60 days back: whether it reported before is unknown
        (3, "EFFECT", D(2025, 9, 26), None, "index_form"),
        (3, "10-Q", D(2025, 11, 7), D(2025, 6, 30), "index_form"),
        (4, "8-K", D(2025, 7, 28), None, "index_form"),
    ]
    index = pl.LazyFrame(
        {
            "cik": [r[0] for r in rows], "company_name": [f"C{r[0]}" for r in rows],
            "form_type": [r[1] for r in rows], "filed_date": [r[2] for r in rows],
            "period_end": [r[3] for r in rows], "index_source": [r[4] for r in rows],
            "fiscal_year_end": [None] * len(rows), "filer_category_stated": [None] * len(rows),
            "accession_number": [f"a{i}" for i in range(len(rows))],
        },
        schema_overrides={"period_end": pl.Date, "fiscal_year_end": pl.String,
                          "filer_category_stated": pl.String},
    )  # fmt: skip
    panel = build_timeliness(index).collect().sort("cik", "report_type")
    one = panel.filter(pl.col("cik") == 1).row(0, named=True)
    assert (one["due_date"], one["nt_deadline"], one["status"]) == (
        D(2025, 11, 10), D(2025, 11, 12), "late_cured",
    )  # fmt: skip
    assert "registration effective 2025-09-26" in one["deadline_rule"]
    two = panel.filter((pl.col("cik") == 2) & (pl.col("report_type") == "10-Q")).row(0, named=True)
    assert (two["due_date"], two["deadline_rule"]) == (D(2025, 8, 14), "45 days after period end")
    three = panel.filter(pl.col("cik") == 3).row(0, named=True)
    assert (three["due_date"], three["status"]) == (D(2025, 8, 14), "late_without_nt")
