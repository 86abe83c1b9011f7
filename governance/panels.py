"""Home page panels from meetings and the action log: next meeting, my actions, updates due."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from core.panels import Panel
from core.roles import Role, has_role

from . import permissions as perms
from .meeting_selectors import OVERDUE_FIRST
from .models import Action, Meeting, SubgroupUpdate
from .services.meetings import next_svrp_meeting


def panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    today = timezone.localdate()
    person = perms.person_of(user)
    found: list[Panel] = []

    meeting = None
    if person is not None:
        meeting = (
            Meeting.objects.upcoming(today).filter(attendance__person=person).select_related("group").first()
        )
    meeting = meeting or next_svrp_meeting(today)
    found.append(Panel("governance/partials/panel_next_meeting.html", {"meeting": meeting}))

    if person is not None:
        actions = list(
            Action.objects.open()
            .filter(owner=person)
            .for_list()
            .with_overdue(today)
            .order_by(OVERDUE_FIRST, "due_date")[:6]
        )
        found.append(
            Panel(
                "governance/partials/panel_my_actions.html",
                {"actions": actions[:5], "more": len(actions) > 5},
            )
        )

    if has_role(user, Role.SUBGROUP_CHAIR):
        groups = perms.chaired_groups(user, today)
        svrp_meeting = next_svrp_meeting(today)
        done = set()
        if svrp_meeting is not None:
            done = set(
                SubgroupUpdate.objects.filter(meeting=svrp_meeting, group__in=groups).values_list(
                    "group_id", flat=True
                )
            )
        found.append(
            Panel(
                "governance/partials/panel_updates_due.html",
                {"meeting": svrp_meeting, "groups": [(g, g.pk in done) for g in groups]},
            )
        )
    return found
