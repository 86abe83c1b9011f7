"""Recommendations where governance shows what links to an activity or an action (its registries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext as _

from governance.models import Action
from governance.theory_of_change import LinkedItem

from .models import Recommendation

STATUS_COLOURS: dict[str, str] = {
    Recommendation.Status.NOT_STARTED: "grey",
    Recommendation.Status.IN_PROGRESS: "blue",
    Recommendation.Status.ACHIEVED: "green",
    Recommendation.Status.CLOSED: "",
}


def linked_recommendations(activity_ids: Sequence[int]) -> dict[int, list[LinkedItem]]:
    """Current recommendations linked to the activities (``Recommendation.toc_activities``), in one query."""
    found: dict[int, list[LinkedItem]] = defaultdict(list)
    links = (
        Recommendation.toc_activities.through.objects.filter(
            theoryofchangeactivity_id__in=activity_ids,
            # An archived recommendation's page is not found: it is not listed either.
            recommendation__archived_at__isnull=True,
        )
        .select_related("recommendation")
        .order_by("recommendation__number")
    )
    for link in links:
        recommendation = link.recommendation
        found[link.theoryofchangeactivity_id].append(_item(recommendation))
    return dict(found)


def _item(recommendation: Recommendation) -> LinkedItem:
    return LinkedItem(
        kind=_("Crest recommendation"),
        reference=recommendation.number,
        title=recommendation.text,
        url=recommendation.get_absolute_url(),
        status=recommendation.get_status_display(),
        status_colour=STATUS_COLOURS.get(recommendation.status, ""),
    )


def recommendations_of_action(action: Action) -> list[LinkedItem]:
    """The recommendations an action is linked to, for the action's page, in one query."""
    return [_item(r) for r in Recommendation.objects.filter(actions=action).order_by("number")]
