"""What links to each Theory of Change activity: the ``core.hooks.TOC_LINKS`` extension point.

A provider is a function ``(activity_ids: list[int]) -> dict[int, list[LinkedItem]]`` that answers for
all activities in a fixed number of queries (one, usually). Governance adds the actions linked to an
activity and the Crest tracker its recommendations, without editing the Theory of Change page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from core import hooks


@dataclass(frozen=True)
class LinkedItem:
    kind: str  # "Action", "Crest recommendation", "Measure": shown as the item's label
    reference: str
    title: str
    url: str | None = None
    status: str = ""
    # A GOV.UK tag colour for the status ("red", "green", …); empty for the default.
    status_colour: str = ""


LinkProvider = Callable[[Sequence[int]], dict[int, list[LinkedItem]]]


def linked_items(activity_ids: Sequence[int]) -> dict[int, list[LinkedItem]]:
    found: dict[int, list[LinkedItem]] = defaultdict(list)
    provider: LinkProvider
    for provider in hooks.get_hooks(hooks.TOC_LINKS):
        for activity_id, items in provider(activity_ids).items():
            found[activity_id].extend(items)
    return dict(found)


def linked_actions(activity_ids: Sequence[int]) -> dict[int, list[LinkedItem]]:
    """Actions linked to the activities (``Action.toc_activity``), soonest due first."""
    from .models import Action

    found: dict[int, list[LinkedItem]] = defaultdict(list)
    actions = Action.objects.filter(toc_activity_id__in=activity_ids).order_by("due_date", "reference")
    for action in actions.only("reference", "description", "status", "due_date", "toc_activity_id"):
        try:
            url: str | None = action.get_absolute_url()
        except NoReverseMatch:  # the action log's pages are not installed
            url = None
        overdue = action.is_overdue()
        found[action.toc_activity_id].append(  # type: ignore[index]
            LinkedItem(
                kind=_("Action"),
                reference=action.reference,
                title=action.description,
                url=url,
                status=_("Overdue") if overdue else action.get_status_display(),
                status_colour="red" if overdue else ("green" if not action.is_open else ""),
            )
        )
    return dict(found)
