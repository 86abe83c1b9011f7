"""The delivery plans' section of the Home Office report, read by the domain's dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from duty.models import Milestone
from duty.report import delivery_plans_section, milestone_rows, summary_rows
from governance.quarters import FinancialQuarter
from performance.reporting.sections import ReportContext
from tests.duty.factories import DeliveryPlanFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

Q1 = FinancialQuarter(2026, 1)  # April to June 2026


def _ctx() -> ReportContext:
    version: Any = None  # the section reads no version
    return ReportContext(quarter=Q1, version=version, today=dt.date(2026, 7, 20))


@pytest.fixture
def plan_year():
    plan = DeliveryPlanFactory(kind="vru", year=2026)
    # Completed in the quarter; completed after the quarter though due in it (slipping at its end);
    # due in the quarter and open; due after the quarter; another year's plan (not reported).
    MilestoneFactory(
        plan=plan,
        reference="A",
        due_date=dt.date(2026, 5, 1),
        status="complete",
        completed_on=dt.date(2026, 4, 20),
    )
    MilestoneFactory(
        plan=plan,
        reference="B",
        due_date=dt.date(2026, 6, 1),
        status="complete",
        completed_on=dt.date(2026, 7, 10),
    )
    MilestoneFactory(plan=plan, reference="C", due_date=dt.date(2026, 6, 30))
    MilestoneFactory(plan=plan, reference="D", due_date=dt.date(2026, 12, 1))
    MilestoneFactory(
        plan=DeliveryPlanFactory(kind="vru", year=2025), reference="E", due_date=dt.date(2026, 1, 1)
    )
    return plan


def test_the_summary_counts_by_the_quarters_end_not_by_today(plan_year):
    assert list(summary_rows(_ctx())) == [("VRU Delivery Plan 2026/27", 4, 3, 1, 2)]


def test_the_detail_lists_what_was_due_by_the_quarters_end_or_completed_in_it(plan_year):
    rows = {row[1]: row for row in milestone_rows(_ctx())}
    assert sorted(rows) == ["A", "B", "C"]
    assert [rows[ref][7] for ref in "ABC"] == ["No", "Yes", "Yes"]


def test_a_later_change_leaves_the_quarters_numbers_alone(plan_year):
    before = list(summary_rows(_ctx()))
    Milestone.objects.filter(reference="C").update(status="complete", completed_on=dt.date(2026, 7, 15))
    assert list(summary_rows(_ctx())) == before


def test_the_report_carries_the_section_through_the_hook():
    from core import hooks

    assert delivery_plans_section in hooks.get_hooks(hooks.REPORT_SECTIONS)
    section = delivery_plans_section(_ctx())
    assert section.title == "Delivery plans"
    assert [t.slug for t in section.tables] == ["summary", "milestones"]
