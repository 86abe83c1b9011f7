"""Reads shared by the meeting page, the pack, the published page and the home panels.

Each loads a fixed number of queries whatever the number of agenda items, papers, attendees or
actions (tested at two sizes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast, overload

from django.db.models import F, FilteredRelation, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from core.compiled import CompiledRows

from .models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    Organisation,
    PartnershipGroup,
    SubgroupUpdate,
)
from .models.actions import ActionQuerySet
from .rows import (
    ACTION_TABLE_FIELDS,
    AGENDA_FIELDS,
    ATTENDANCE_FIELDS,
    ATTENDANCE_ORDER,
    ActionRow,
    AttendanceRow,
    action_rows_from,
    action_table_rows,
    agenda_rows_from,
    attendance_rows_from,
)

# Annotated by ActionQuerySet.with_overdue(); an expression, so type checkers accept it.
OVERDUE_FIRST = F("overdue_flag").desc()


class OverdueFirst(Sequence[int]):
    """The ids of ``actions`` in the action log's order (overdue first, then by due date and reference:
    ``OVERDUE_FIRST``), as ``Paginator`` pages them, reading a page, not sorting every action.

    Sorting twenty thousand actions on whether each is overdue today (an expression no index holds)
    was most of the log's cost. The overdue and the other actions are each read in their own index's
    order (``Action.Meta.indexes``), the page taken from the one or the other, or the end of the first
    and the start of the second: three small queries (the count, the overdue count, a page).
    """

    def __init__(self, actions: QuerySet[Action], today: dt.date) -> None:
        self.actions = cast(ActionQuerySet, actions.order_by())
        self.today = today

    def __len__(self) -> int:
        return self._count

    @cached_property
    def _count(self) -> int:
        return self.actions.count()

    @cached_property
    def _overdue(self) -> int:
        return self.actions.overdue(self.today).count()

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, int):
            position = index + len(self) if index < 0 else index
            if not 0 <= position < len(self):
                raise IndexError(index)
            return self[position : position + 1][0]
        start, stop = index.start or 0, len(self) if index.stop is None else index.stop
        overdue = self._overdue
        ids: list[int] = []
        order = ("due_date", "reference")
        if start < overdue:
            ids += (
                self.actions.overdue(self.today)
                .order_by(*order)
                .values_list("pk", flat=True)[start : min(stop, overdue)]
            )
        if stop > overdue:
            ids += (
                self.actions.not_overdue(self.today)
                .order_by(*order)
                .values_list("pk", flat=True)[max(start - overdue, 0) : stop - overdue]
            )
        return ids


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


def authority_attendance(
    rows: list[Attendance] | list[AttendanceRow], authorities: list[Organisation]
) -> AuthorityAttendance:
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
    """For a partnership meeting: each current sub-group and its update, or None if missing: one query
    (each group joined to its update for this meeting, if any, both made from the one row)."""
    if meeting.group.kind != PartnershipGroup.Kind.PARTNERSHIP:
        return []
    # What the pages show of them (others would be read on use, a query each: none are used).
    group_fields = ["id", "name", "short_name", "slug", "kind", "order"]
    update_fields = ["id", "group_id", "meeting_id", "summary", "rag", "escalations", "submitted_at"]
    rows = (
        PartnershipGroup.objects.filter(kind=PartnershipGroup.Kind.SUBGROUP, archived_at__isnull=True)
        .annotate(this_update=FilteredRelation("updates", condition=Q(updates__meeting=meeting)))
        .order_by("order", "name")
        .values_list(*group_fields, *(f"this_update__{name}" for name in update_fields))
    )
    found: list[tuple[PartnershipGroup, SubgroupUpdate | None]] = []
    for values in rows:
        group = PartnershipGroup.from_db(rows.db, group_fields, values[: len(group_fields)])
        update_values = values[len(group_fields) :]
        update = (
            None
            if update_values[0] is None
            else SubgroupUpdate.from_db(rows.db, update_fields, update_values)
        )
        found.append((group, update))
    return found


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


# The meeting page's reads of one meeting's rows, compiled once (core.compiled): building and compiling
# them afresh was a third of each one's cost.
_AGENDA = CompiledRows(
    lambda meeting: (
        AgendaItem.objects.filter(meeting_id=meeting).order_by("order").values_list(*AGENDA_FIELDS)
    ),
    meeting=int,
)
_REGISTER = CompiledRows(
    lambda meeting: (
        Attendance.objects.filter(meeting_id=meeting)
        .order_by(*ATTENDANCE_ORDER)
        .values_list(*ATTENDANCE_FIELDS)
    ),
    meeting=int,
)
_ACTIONS_RAISED = CompiledRows(
    lambda meeting, today: (
        Action.objects.filter(meeting_id=meeting)
        .with_overdue(today)
        .order_by("reference")
        .values_list(*ACTION_TABLE_FIELDS)
    ),
    meeting=int,
    today=dt.date,
)


def meeting_page(
    meeting: Meeting, *, today: dt.date | None = None, drafts_hidden: bool = False
) -> dict[str, Any]:
    """The meeting's record but its register and the actions raised (``meeting_attendance`` and
    ``meeting_actions``, cached apart: they change row by row during the meeting). What the record does
    not show is not read: the minutes' entries and declarations without minutes or with the drafts
    hidden, the decisions with the drafts hidden."""
    minutes: Minutes | None = getattr(meeting, "minutes", None)
    minuted = minutes is not None and not drafts_hidden
    entries = {e.agenda_item_id: e for e in minutes.entries.order_by()} if minuted and minutes else {}
    # The page lists the meeting's papers once, not under each item: no papers per item.
    # One meeting's rows, in their own order: the models' default orders begin with the meeting, a join
    # to sort by its date that one meeting's rows do not need.
    agenda = agenda_rows_from(_AGENDA.rows(meeting=meeting.pk))
    return {
        "meeting": meeting,
        "agenda": agenda,
        "minute_entries": [(item, entries.get(item.pk)) for item in agenda],
        "papers": list(meeting.papers.select_related("agenda_item").order_by("agenda_item__order", "title")),
        # The minutes name each declarer's organisation.
        "declarations": (
            list(
                meeting.declarations.select_related("person__organisation", "agenda_item").order_by(
                    "agenda_item__order", "pk"
                )
            )
            if minuted
            else []
        ),
        "updates": subgroup_update_status(meeting),
        "decisions": (
            []
            if drafts_hidden
            else list(meeting.decisions.select_related("agenda_item").order_by("reference"))
        ),
        "minutes": minutes,
        "today": today or timezone.localdate(),
    }


def meeting_attendance(meeting: Meeting) -> dict[str, Any]:
    """The meeting's register and which authorities were represented."""
    # Fifty rows and more of six records each at scale: read as rows.
    rows = attendance_rows_from(_REGISTER.rows(meeting=meeting.pk))
    return {
        "meeting": meeting,
        "attendance": rows,
        "authorities": authority_attendance(rows, list(Organisation.objects.duty_authorities().only("name"))),
    }


def meeting_actions(meeting: Meeting, *, today: dt.date | None = None) -> dict[str, Any]:
    """The actions raised at the meeting, as the action table shows them (rows, one query)."""
    return {
        "meeting": meeting,
        "actions": action_rows_from(
            _ACTIONS_RAISED.rows(meeting=meeting.pk, today=today or timezone.localdate())
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
