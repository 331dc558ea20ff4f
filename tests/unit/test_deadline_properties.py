"""Invariants of the deadline engine, stated as properties over generated dates.

No expected value here comes from the engine: each property is a fact of Rule 0-3 and
Rule 12b-25 (a due date is a business day, not before the period end; the notice deadline
is the next business day; an extension runs from the due date).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analytics.calendar import is_business_day, next_business_day, roll_forward
from workbench.analytics.deadlines import due_dates

_days = st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2026, 12, 31))
_reports = st.sampled_from(["10-K", "10-Q", "20-F", "11-K", "N-CEN"])
_categories = st.sampled_from(["large_accelerated", "accelerated", "non_accelerated"])


@settings(max_examples=300, deadline=None)
@given(_days)
def test_roll_forward_lands_on_the_first_business_day_on_or_after(day):
    rolled = roll_forward(day)
    assert is_business_day(rolled) and rolled >= day
    assert all(not is_business_day(day + dt.timedelta(n)) for n in range((rolled - day).days))


@settings(max_examples=300, deadline=None)
@given(_days)
def test_next_business_day_is_strictly_later_and_skips_only_closed_days(day):
    nxt = next_business_day(day)
    assert nxt > day and is_business_day(nxt)
    assert all(not is_business_day(day + dt.timedelta(n)) for n in range(1, (nxt - day).days))


@settings(max_examples=200, deadline=None)
@given(_days, _reports, _categories)
def test_due_dates_are_business_days_after_the_period(period_end, report, category):
    d = due_dates(report, period_end, category)
    if d.due_date is None:
        return
    assert d.due_date > period_end and is_business_day(d.due_date)
    if d.nt_deadline is not None:
        assert d.nt_deadline == next_business_day(d.due_date)
    if d.extended_due_date is not None:
        assert d.extended_due_date > d.due_date and is_business_day(d.extended_due_date)
