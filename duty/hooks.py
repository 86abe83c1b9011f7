"""What the Duty adds to the portal's extension points (``core.hooks``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from core import hooks
from governance.emails import site_url
from governance.models import TheoryOfChangeActivity
from governance.services.reminders import DigestItem
from governance.theory_of_change import LinkedItem

from .models import DutyDocument, Milestone, Priority
from .reference import load_strategies
from .report import check_delivery_plans, delivery_plans_section, milestone_records
from .selectors import concordat_progress

# The concordat is the Theory of Change's activity 1.b and Crest Advisory's recommendation 4.2.
CONCORDAT_ACTIVITY = "1.b"
CONCORDAT_RECOMMENDATION = "4.2"

hooks.register(hooks.REFERENCE_LOADERS)(load_strategies)
hooks.register(hooks.REPORT_SECTIONS)(delivery_plans_section)
hooks.register(hooks.REPORT_CHECKS)(check_delivery_plans)
hooks.register(hooks.REPORT_RECORDS)(milestone_records)


def _concordat_item() -> LinkedItem | None:
    progress = concordat_progress()
    if progress is None:
        return None
    concordat, acknowledged, cells = progress
    return LinkedItem(
        kind=_("Concordat"),
        reference=f"v{concordat.version}",
        title=_("%(concordat)s: acknowledged by %(done)s of %(all)s authorities across the areas")
        % {"concordat": concordat, "done": acknowledged, "all": cells},
        url=reverse("duty:concordat"),
    )


@hooks.register(hooks.TOC_LINKS)
def linked_to_activities(activity_ids: Sequence[int]) -> dict[int, list[LinkedItem]]:
    """Current Response Strategy priorities, delivery plan milestones and, on 1.b, the concordat."""
    found: dict[int, list[LinkedItem]] = defaultdict(list)
    # The priorities of the latest approved version of each document, in the same query.
    latest = (
        DutyDocument.objects.approved()
        .filter(kind=OuterRef("priority__document__kind"))
        .order_by("-version")
        .values("pk")[:1]
    )
    priorities = Priority.toc_activities.through.objects.filter(
        theoryofchangeactivity_id__in=activity_ids, priority__document_id=Subquery(latest)
    ).select_related("priority__document")
    for link in priorities.order_by("priority__number"):
        priority = link.priority
        found[link.theoryofchangeactivity_id].append(
            LinkedItem(
                kind=_("Response Strategy priority"),
                reference=str(priority.number),
                title=priority.title,
                url=reverse("duty:documents"),
            )
        )
    milestones = Milestone.toc_activities.through.objects.filter(
        theoryofchangeactivity_id__in=activity_ids
    ).select_related("milestone__plan")
    for milestone_link in milestones.order_by("milestone__due_date", "milestone__reference"):
        milestone = milestone_link.milestone
        found[milestone_link.theoryofchangeactivity_id].append(
            LinkedItem(
                kind=str(milestone.plan.get_kind_display()),
                reference=milestone.reference,
                title=milestone.title,
                url=reverse("duty:plans") + f"#milestone-{milestone.pk}",
                status=str(milestone.get_status_display()),
            )
        )
    # Looked for only once there is a concordat: a portal without one pays a single query for it.
    if (item := _concordat_item()) is not None:
        concordat_activity = (
            TheoryOfChangeActivity.objects.filter(pk__in=activity_ids, code=CONCORDAT_ACTIVITY)
            .values_list("pk", flat=True)
            .first()
        )
        if concordat_activity is not None:
            found[concordat_activity].append(item)
    return dict(found)


@hooks.register(hooks.RECOMMENDATION_EVIDENCE)
def concordat_evidence(recommendation: Any) -> list[LinkedItem]:
    if recommendation.number != CONCORDAT_RECOMMENDATION:
        return []
    item = _concordat_item()
    return [item] if item is not None else []


@hooks.register(hooks.DIGEST_ITEMS)
def slipping_milestones(today: dt.date, horizon: dt.date) -> dict[int, list[DigestItem]]:
    """Milestones slipping past their due date, by owner (the digest lists them beside their actions)."""
    found: dict[int, list[DigestItem]] = defaultdict(list)
    milestones = Milestone.objects.slipping(today).select_related("plan")
    for milestone in milestones.order_by("due_date", "reference"):
        found[milestone.owner_id].append(
            DigestItem(
                kind=str(milestone.plan.get_kind_display()),
                reference=milestone.reference,
                description=milestone.title,
                due_date=milestone.due_date,
                overdue=milestone.is_slipping(today),
                url=site_url("duty:plans") + f"#milestone-{milestone.pk}",
            )
        )
    return dict(found)
