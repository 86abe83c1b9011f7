"""The delivery plans' section of the Home Office report, read by the domain's dates."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from duty.models import Milestone
from duty.report import RULE_SLIPPING, delivery_plans_section, milestone_rows, summary_rows
from governance.quarters import FinancialQuarter
from performance.reporting.provenance import record_links
from performance.reporting.reconcile import reconcile_version, reconcile_workbook
from performance.reporting.sections import ReportContext, plain
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


def _plain(rows):
    return [tuple(plain(value) for value in row) for row in rows]


def test_the_summary_counts_by_the_quarters_end_not_by_today(plan_year):
    assert _plain(summary_rows(_ctx())) == [("VRU Delivery Plan 2026/27", 4, 3, 1, 2)]


def test_each_count_names_the_milestones_it_counts_and_its_rule(plan_year):
    (row,) = summary_rows(_ctx())
    in_year, due, complete, slipping = row[1:]
    assert [label for _key, label in in_year.records] == ["A", "B", "C", "D"]
    assert [label for _key, label in due.records] == ["A", "B", "C"]
    assert [label for _key, label in complete.records] == ["A"]
    assert [label for _key, label in slipping.records] == ["B", "C"]
    assert slipping.rule == "Milestones of the plan due by the quarter's end and not completed by then."
    b = Milestone.objects.get(reference="B")
    assert (f"milestone:{b.pk}", "B") in slipping.records


def test_the_detail_lists_what_was_due_by_the_quarters_end_or_completed_in_it(plan_year):
    rows = {row[1]: row for row in milestone_rows(_ctx())}
    assert sorted(rows) == ["A", "B", "C"]
    assert [rows[ref][7] for ref in "ABC"] == ["No", "Yes", "Yes"]


def test_a_later_change_leaves_the_quarters_numbers_alone(plan_year):
    before = _plain(summary_rows(_ctx()))
    Milestone.objects.filter(reference="C").update(status="complete", completed_on=dt.date(2026, 7, 15))
    assert _plain(summary_rows(_ctx())) == before


def test_the_report_carries_the_section_through_the_hook():
    from core import hooks

    assert delivery_plans_section in hooks.get_hooks(hooks.REPORT_SECTIONS)
    section = delivery_plans_section(_ctx())
    assert section.title == "Delivery plans"
    assert [t.slug for t in section.tables] == ["summary", "milestones"]


def _draft_book(settings, tmp_path):
    from performance.models import ReportFile
    from performance.reporting import generate_draft

    settings.MEDIA_ROOT = tmp_path
    version = generate_draft(2026, 1)
    stored = ReportFile.objects.get(version=version, kind=ReportFile.Kind.XLSX)
    return version, load_workbook(stored.file.open("rb"))


def test_the_delivery_plans_section_reconciles_and_its_sources_name_the_milestones(
    plan_year, settings, tmp_path
):
    version, book = _draft_book(settings, tmp_path)
    assert reconcile_version(version) == []
    sources = list(book["11 Sources"].iter_rows(values_only=True))
    slipping = next(row for row in sources if row[1] == "10 Delivery plans" and row[5] == RULE_SLIPPING)
    assert slipping[4] == 2 and slipping[6] == "B; C"
    assert book["10 Delivery plans"][slipping[2]].value == 2


def test_a_changed_delivery_plan_count_is_found_and_named(plan_year, settings, tmp_path):
    _version, book = _draft_book(settings, tmp_path)
    sheet = book["10 Delivery plans"]
    cell = next(
        row[4] for row in sheet.iter_rows() if row[0].value == "VRU Delivery Plan 2026/27"
    )  # "Slipping at the quarter's end"
    assert cell.value == 2
    cell.value = 0
    tampered = io.BytesIO()
    book.save(tampered)
    tampered.seek(0)
    found = [str(d) for d in reconcile_workbook(tampered, Q1)]
    assert any(
        d.startswith("10 Delivery plans!")
        and "VRU Delivery Plan 2026/27: milestones" in d
        and "(4, 3, 1, 0)" in d
        for d in found
    ), found
    assert any(d.startswith("10 Delivery plans!" + cell.coordinate) for d in found), found


def test_a_milestone_a_figure_names_links_to_its_row_of_the_plans_page(plan_year):
    b = Milestone.objects.get(reference="B")
    (link,) = record_links([f"milestone:{b.pk}"])
    assert link.label == f"B: {b.title}"
    assert link.url == f"/duty/plans/#milestone-{b.pk}"
