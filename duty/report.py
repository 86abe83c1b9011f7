"""The delivery plans' section of the quarterly Home Office report (``core.hooks.REPORT_SECTIONS``).

Read by the domain's dates, so a report regenerated later says the same about the quarter: a milestone
counts as complete by the quarter's end when it was completed on or before that day, and as slipping
when it was due by then and not completed by then.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from performance.reporting.sections import ReportContext, Row, Section, Table

from .models import DeliveryPlan, Milestone


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
    plans = DeliveryPlan.objects.filter(year=ctx.quarter.year).order_by("kind")
    counts = {plan.pk: [0, 0, 0, 0] for plan in plans}
    for milestone in _milestones(ctx).filter(plan__in=plans):
        row = counts[milestone.plan_id]
        row[0] += 1
        due_by_end = milestone.due_date <= ctx.quarter_end
        row[1] += ctx.quarter.start <= milestone.due_date <= ctx.quarter_end
        row[2] += _complete_by(milestone, ctx)
        row[3] += due_by_end and not _complete_by(milestone, ctx)
    for plan in plans:
        yield (str(plan), *counts[plan.pk])


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
        _("Plan"),
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
