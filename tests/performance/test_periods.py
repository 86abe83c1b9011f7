from __future__ import annotations

import datetime as dt

import pytest

from governance.quarters import FinancialQuarter
from performance.models import Period, default_deadline
from performance.reference import ensure_periods
from performance.selectors import collection_quarter, quarter_window

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2026, 3, 31), "2025/26 Q4"),
        (dt.date(2026, 4, 1), "2026/27 Q1"),
        (dt.date(2026, 6, 30), "2026/27 Q1"),
        (dt.date(2026, 12, 31), "2026/27 Q3"),
        (dt.date(2027, 1, 1), "2026/27 Q4"),
    ],
)
def test_a_date_falls_in_its_financial_quarter_across_the_years_turn(day, label):
    assert FinancialQuarter.of(day).label == label


def test_the_quarter_being_collected_is_the_last_one_to_have_ended():
    assert collection_quarter(dt.date(2026, 4, 1)).label == "2025/26 Q4"
    assert collection_quarter(dt.date(2026, 7, 1)).label == "2026/27 Q1"


def test_eight_quarters_back_cross_the_financial_year():
    window = quarter_window(FinancialQuarter(2026, 1), 8)
    assert [q.label for q in (window[0], window[-1])] == ["2024/25 Q2", "2026/27 Q1"]
    assert len(set(window)) == 8


@pytest.mark.parametrize(
    ("quarter", "deadline"),
    [
        (FinancialQuarter(2026, 1), dt.date(2026, 7, 31)),
        (FinancialQuarter(2026, 3), dt.date(2027, 1, 31)),
        (FinancialQuarter(2026, 4), dt.date(2027, 4, 30)),
    ],
)
def test_figures_are_due_by_the_end_of_the_month_after_the_quarter(quarter, deadline):
    assert default_deadline(quarter) == deadline


def test_a_period_knows_its_quarter_and_is_unique_per_quarter():
    ensure_periods(FinancialQuarter(2025, 3), FinancialQuarter(2026, 2))
    assert Period.objects.count() == 4
    ensure_periods(FinancialQuarter(2025, 3), FinancialQuarter(2026, 2))
    assert Period.objects.count() == 4
    first = Period.objects.first()
    assert first is not None and first.fq == FinancialQuarter(2025, 3) and first.slug == "2025-26-q3"


def test_periods_between_two_quarters_span_the_year_end():
    ensure_periods(FinancialQuarter(2024, 1), FinancialQuarter(2027, 4))
    labels = [p.label for p in Period.objects.between(FinancialQuarter(2025, 4), FinancialQuarter(2026, 2))]
    assert labels == ["2025/26 Q4", "2026/27 Q1", "2026/27 Q2"]
