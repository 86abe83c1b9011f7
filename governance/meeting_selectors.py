"""Reads shared by the meeting page, the pack, the published page and the home panels.

Each loads a fixed number of queries whatever the number of agenda items, papers, attendees or
actions (tested at two sizes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet, prefetch_related_objects
from django.utils import timezone

from .models import (
    Action,
    Attendance,
    Meeting,
    Minutes,
    Organisation,
    PartnershipGroup,
    SubgroupUpdate,
)
from .rows import ActionRow, action_table_rows

# Annotated by ActionQuerySet.with_overdue(); an expression, so type checkers accept it.
OVERDUE_FIRST = F("overdue_flag").desc()


@dataclass
class AuthorityAttendance:
    """Which specified and relevant authorities were represented: "n of N", by organisation."""

    represented: list[Organisation] = field(default_factory=list)
    not_represented: list[Organisation] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.represented)

    @property
    def total(self) -> int:
        return len(self.represented) + len(self.not_represented)


def authority_attendance(rows: list[Attendance], authorities: list[Organisation]) -> AuthorityAttendance:
    """Count by organisation: one present member or a deputy represents the authority."""
    represented_ids = {
        row.organisation_id for row in rows if row.represents_authority and row.organisation_id
    }
    result = AuthorityAttendance()
    for organisation in authorities:
        (result.represented if organisation.pk in represented_ids else result.not_represented).append(
            organisation
        )
    return result


def meeting_queryset() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("group", "minutes", "minutes__approved_at_meeting")


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    rows = list(
        meeting.attendance.select_related("person", "organisation", "deputy", "seat")
        .order_by("status", "organisation__name", "person__full_name", "guest_name")
        # Five rows a line, none of whose audit columns a register shows.
        .defer(
            *(
                f"{prefix}{f}"
                for prefix in ("", "person__", "organisation__", "deputy__", "seat__")
                for f in ("created", "modified", "created_by", "modified_by")
            )
        )
    )
    # A row names its seat; only one recorded before seats were records shows its tenure's seat. Those
    # tenures are loaded for those rows alone (two queries if any, none otherwise), not joined to every
    # row (a join a table makes the register's query several times dearer to plan) nor read a row each.
    prefetch_related_objects([r for r in rows if r.membership_id and not r.seat_id], "membership__seat")
    return rows


def subgroup_update_status(meeting: Meeting) -> list[tuple[PartnershipGroup, SubgroupUpdate | None]]:
    """For a partnership meeting: each current sub-group and its update, or None if missing."""
    if meeting.group.kind != PartnershipGroup.Kind.PARTNERSHIP:
        return []
    updates = {u.group_id: u for u in meeting.subgroup_updates.select_related("submitted_by")}
    groups = PartnershipGroup.objects.filter(
        kind=PartnershipGroup.Kind.SUBGROUP, archived_at__isnull=True
    ).order_by("order", "name")
    return [(group, updates.get(group.pk)) for group in groups]


@dataclass
class PublicationPreview:
    """What publishing a meeting's minutes makes public, and what stays unrecorded or missing."""

    authorities: list[str]
    attendees: int
    decisions: int
    actions: int
    unrecorded: list[str]
    missing_updates: list[PartnershipGroup]
    unminuted_items: list[str]


def publication_preview(meeting: Meeting) -> PublicationPreview:
    """For the confirmation page: a fixed number of queries, whatever the size of the meeting."""
    rows = attendance_rows(meeting)
    minutes: Minutes | None = getattr(meeting, "minutes", None)
    minuted = (
        set(minutes.entries.exclude(text="").values_list("agenda_item_id", flat=True)) if minutes else set()
    )
    return PublicationPreview(
        authorities=sorted({r.organisation.name for r in rows if r.represents_authority and r.organisation}),
        attendees=sum(1 for r in rows if r.status in Attendance.REPRESENTING),
        decisions=meeting.decisions.count(),
        actions=meeting.actions.count(),
        unrecorded=[
            f"{r.who} ({r.organisation})" if r.organisation else r.who
            for r in rows
            if r.status == Attendance.Status.EXPECTED
        ],
        missing_updates=[group for group, update in subgroup_update_status(meeting) if update is None],
        unminuted_items=[item.title for item in meeting.agenda_items.all() if item.pk not in minuted],
    )


def meeting_page(meeting: Meeting, *, today: dt.date | None = None) -> dict[str, Any]:
    """The meeting's record but its register and the actions raised (``meeting_attendance`` and
    ``meeting_actions``, cached apart: they change row by row during the meeting)."""
    minutes: Minutes | None = getattr(meeting, "minutes", None)
    entries = {}
    if minutes is not None:
        entries = {e.agenda_item_id: e for e in minutes.entries.all()}
    # The page lists the meeting's papers once, not under each item: no papers per item.
    agenda = list(meeting.agenda_items.select_related("presenter"))
    return {
        "meeting": meeting,
        "agenda": agenda,
        "minute_entries": [(item, entries.get(item.pk)) for item in agenda],
        "papers": list(meeting.papers.select_related("agenda_item").order_by("agenda_item__order", "title")),
        # The minutes name each declarer's organisation.
        "declarations": list(meeting.declarations.select_related("person__organisation", "agenda_item")),
        "updates": subgroup_update_status(meeting),
        "decisions": list(meeting.decisions.select_related("agenda_item")),
        "minutes": minutes,
        "today": today or timezone.localdate(),
    }


def meeting_attendance(meeting: Meeting) -> dict[str, Any]:
    """The meeting's register and which authorities were represented."""
    rows = attendance_rows(meeting)
    return {
        "meeting": meeting,
        "attendance": rows,
        "authorities": authority_attendance(rows, list(Organisation.objects.duty_authorities())),
    }


def meeting_actions(meeting: Meeting, *, today: dt.date | None = None) -> dict[str, Any]:
    """The actions raised at the meeting, as the action table shows them (rows, one query)."""
    return {
        "meeting": meeting,
        "actions": action_table_rows(
            meeting.actions.with_overdue(today or timezone.localdate()).order_by("reference")
        ),
    }


def open_actions_for_pack(meeting: Meeting, today: dt.date) -> list[ActionRow]:
    """Open actions of the meeting's group, overdue first: a thousand and more at scale, so read as
    rows of the columns the pack's action table shows."""
    return action_table_rows(
        Action.objects.open()
        .filter(meeting__group=meeting.group)
        .with_overdue(today)
        .order_by(OVERDUE_FIRST, "due_date", "reference")
    )
