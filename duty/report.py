"""The delivery plans' section of the quarterly Home Office report (``core.hooks.REPORT_SECTIONS``).

Read by the domain's dates, so a report regenerated later says the same about the quarter: a milestone
counts as complete by the quarter's end when it was completed on or before that day, and as slipping
when it was due by then and not completed by then.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from governance.quarters import FinancialQuarter
from performance.reporting.sections import ReportContext, Row, Section, Table, Traced

from .models import DeliveryPlan, Milestone

# The rules of the section's figures, as the Sources part of the report states them.
RULE_IN_YEAR = "Milestones of the plan (every milestone of the quarter's financial year)."
RULE_DUE_IN_QUARTER = "Milestones of the plan due in the quarter (their due date)."
RULE_COMPLETE = "Milestones of the plan completed on or before the quarter's end (their completion date)."
RULE_SLIPPING = "Milestones of the plan due by the quarter's end and not completed by then."
RULES = (RULE_IN_YEAR, RULE_DUE_IN_QUARTER, RULE_COMPLETE, RULE_SLIPPING)
SUMMARY_PLAN_HEADER = "Plan"


def _milestones(ctx: ReportContext) -> Any:
    """The plans of the quarter's financial year: every milestone due by the year's end."""
    return (
        Milestone.objects.filter(plan__year=ctx.quarter.year)
        .select_related("plan", "owner", "organisation", "grant")
        .order_by("plan__kind", "due_date", "reference")
    )


def _complete_by(milestone: Milestone, ctx: ReportContext) -> bool:
    return milestone.completed_on is not None and milestone.completed_on <= ctx.quarter_end


def summary_rows(ctx: ReportContext) -> Iterator[Row]:
    """Per plan of the quarter's year: its milestones, those due in the quarter, complete by its end and
    slipping at its end, each a count traced to the milestones it counts."""
    plans = DeliveryPlan.objects.filter(year=ctx.quarter.year).order_by("kind")
    counted: dict[int, list[list[tuple[str, str]]]] = {plan.pk: [[], [], [], []] for plan in plans}
    for milestone in _milestones(ctx).filter(plan__in=plans):
        lists = counted[milestone.plan_id]
        record = (f"milestone:{milestone.pk}", milestone.reference)
        complete = _complete_by(milestone, ctx)
        lists[0].append(record)
        if ctx.quarter.start <= milestone.due_date <= ctx.quarter_end:
            lists[1].append(record)
        if complete:
            lists[2].append(record)
        if milestone.due_date <= ctx.quarter_end and not complete:
            lists[3].append(record)
    for plan in plans:
        yield (
            str(plan),
            *(
                Traced(len(records), rule, tuple(records))
                for rule, records in zip(RULES, counted[plan.pk], strict=True)
            ),
        )


def milestone_rows(ctx: ReportContext) -> Iterator[Row]:
    for milestone in _milestones(ctx).filter(
        Q(due_date__lte=ctx.quarter_end) | Q(completed_on__range=(ctx.quarter.start, ctx.quarter_end))
    ):
        yield (
            str(milestone.plan.get_kind_display()),
            milestone.reference,
            milestone.title,
            milestone.owner.full_name,
            milestone.organisation.name,
            milestone.due_date,
            milestone.completed_on,
            _("Yes")
            if milestone.due_date <= ctx.quarter_end and not _complete_by(milestone, ctx)
            else _("No"),
            str(milestone.get_rag_display()) if milestone.rag else _("Not rated"),
            f"{milestone.grant}, {milestone.get_grant_category_display()}".rstrip(", ")
            if milestone.grant_id
            else "",
        )


def delivery_plans_section(ctx: ReportContext) -> Section:
    summary = (
        _(SUMMARY_PLAN_HEADER),
        _("Milestones in the year"),
        _("Due in the quarter"),
        _("Complete by the quarter's end"),
        _("Slipping at the quarter's end"),
    )
    detail = (
        _("Plan"),
        _("Reference"),
        _("Milestone"),
        _("Owner"),
        _("Organisation"),
        _("Due"),
        _("Completed on"),
        _("Slipping at the quarter's end"),
        _("RAG (now)"),
        _("Grant line"),
    )
    return Section(
        0,
        "delivery-plans",
        _("Delivery plans"),
        [
            Table(_("Milestones by plan"), summary, lambda: summary_rows(ctx), slug="summary"),
            Table(
                _("Milestones due by the quarter's end or completed in it"),
                detail,
                lambda: milestone_rows(ctx),
                slug="milestones",
            ),
        ],
    )


# Reconciliation (``core.hooks.REPORT_CHECKS``): the summary recomputed from the milestones by plain
# Python over their rows, not by the queries above, and compared with the stored sheet by its labels.

SECTION_TITLE = "Delivery plans"


def _expected_summary(quarter: FinancialQuarter) -> dict[str, tuple[int, int, int, int]]:
    plans = {plan.pk: str(plan) for plan in DeliveryPlan.objects.filter(year=quarter.year)}
    counts: dict[str, list[int]] = {name: [0, 0, 0, 0] for name in plans.values()}
    end = quarter.end
    for plan_id, due, completed in Milestone.objects.values_list(
        "plan_id", "due_date", "completed_on"
    ).order_by():
        if plan_id not in plans:
            continue
        row = counts[plans[plan_id]]
        done = completed is not None and completed <= end
        row[0] += 1
        row[1] += quarter.start <= due <= end
        row[2] += done
        row[3] += due <= end and not done
    return {name: (a, b, c, d) for name, (a, b, c, d) in counts.items()}


def check_delivery_plans(book: Any, quarter: FinancialQuarter) -> Iterator[Any]:
    """The delivery plans' summary against the milestones, and its source rows against what they name."""
    from performance.reporting.reconcile import Difference, _counts

    title, rows = next(
        ((t, r) for t, r in book.sheets.items() if t.split(" ", 1)[-1] == SECTION_TITLE),
        (f"{SECTION_TITLE} (missing)", []),
    )
    expected = _expected_summary(quarter)
    found: dict[str, tuple[int, tuple[Any, ...]]] = {}
    in_summary = False
    for line, row in enumerate(rows, start=1):
        first = row[0] if row else None
        if first == SUMMARY_PLAN_HEADER and not in_summary and not found:
            in_summary = True
            continue
        if in_summary:
            if first in (None, "") or first == SUMMARY_PLAN_HEADER:
                break
            found[str(first)] = (line, _counts(row[1:5]))
    for name in sorted(set(found) | set(expected)):
        line, shown = found.get(name, (1, None))
        if shown != expected.get(name):
            yield Difference(
                title,
                f"A{line}",
                f"{name}: milestones (year, due, complete, slipping)",
                shown,
                expected.get(name),
            )
    sources_title, source_rows = book.sources()
    for line, row in enumerate(source_rows, start=2):
        if len(row) >= 8 and str(row[5] or "") in RULES:
            keys = str(row[7] or "").split()
            if _counts([row[4]]) != (len(keys),):
                yield Difference(
                    sources_title, f"E{line}", f"{row[3]} recounted from its records", row[4], len(keys)
                )


def milestone_records(wanted: dict[str, list[int]]) -> dict[str, tuple[str, str]]:
    """The milestones a report figure names, with a link to their row of the plans page."""
    plans = reverse("duty:plans")
    return {
        f"milestone:{m.pk}": (f"{m.reference}: {m.title}", f"{plans}#milestone-{m.pk}")
        for m in Milestone.objects.filter(pk__in=wanted.get("milestone", []))
    }
