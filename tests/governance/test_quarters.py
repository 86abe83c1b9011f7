from __future__ import annotations

import datetime as dt

import pytest

from governance.quarters import FinancialQuarter


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2025, 4, 1), "2025/26 Q1"),
        (dt.date(2025, 6, 30), "2025/26 Q1"),
        (dt.date(2025, 7, 1), "2025/26 Q2"),
        (dt.date(2025, 12, 31), "2025/26 Q3"),
        (dt.date(2026, 1, 1), "2025/26 Q4"),
        (dt.date(2026, 3, 31), "2025/26 Q4"),
        (dt.date(2026, 4, 1), "2026/27 Q1"),
        (dt.date(1999, 12, 31), "1999/00 Q3"),
    ],
)
def test_a_date_falls_in_the_uk_financial_quarter(day, label):
    assert FinancialQuarter.of(day).label == label


def test_quarter_boundaries_cross_the_calendar_year():
    q4 = FinancialQuarter(2025, 4)
    assert (q4.start, q4.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert q4.next() == FinancialQuarter(2026, 1)
    assert FinancialQuarter(2026, 1).previous() == q4
    assert FinancialQuarter(2026, 1).minus(8) == FinancialQuarter(2024, 1)


@pytest.mark.parametrize("text", ["2025/26 Q1", "2025-26-q1", "2025-26 Q1"])
def test_quarter_labels_and_slugs_parse(text):
    assert FinancialQuarter.parse(text) == FinancialQuarter(2025, 1)
    assert FinancialQuarter(2025, 1).slug == "2025-26-q1"


@pytest.mark.parametrize("text", ["2025/27 Q1", "2025/26 Q5", "Q1 2025", ""])
def test_bad_quarter_labels_are_refused(text):
    with pytest.raises(ValueError):
        FinancialQuarter.parse(text)
