"""The meeting page, the action log and the pack cost the same number of queries at any size."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from governance.models import Attendance, MinuteEntry, Minutes, Paper

from .factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SubgroupFactory,
)

pytestmark = pytest.mark.django_db


def _grow(meeting, size: int) -> None:
    """Add ``size`` attendees (each its own authority, some deputies), papers, agenda items and actions."""
    for n in range(size):
        org = OrganisationFactory()
        person = PersonFactory(organisation=org)
        MembershipFactory(person=person, group=meeting.group)
        AttendanceFactory(
            meeting=meeting,
            person=person,
            status=Attendance.Status.DEPUTY if n % 2 else Attendance.Status.PRESENT,
            deputy=PersonFactory(organisation=org) if n % 2 else None,
            deputy_name="" if n % 2 else "",
        )
        item: Any = AgendaItemFactory(meeting=meeting, order=100 + n, presenter=person)
        Paper.objects.create(
            meeting=meeting,
            agenda_item=item,
            title=f"Paper {n}",
            file=f"papers/x{n}.pdf",
            original_name="x.pdf",
            file_type="pdf",
            size=10,
            confidential=bool(n % 3 == 0),
        )
        ActionFactory(
            meeting=meeting, owner=person, due_date=dt.date(2026, 4, 1) if n % 2 else dt.date(2026, 9, 1)
        )
        SubgroupFactory(parent=meeting.group)


@pytest.fixture
def meeting(svrp):
    return MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))


@pytest.mark.parametrize("size", [2, 12])
def test_the_meeting_page_query_count_does_not_grow(
    meeting, client_for, vru_staff, django_assert_num_queries, size
):
    _grow(meeting, size)
    c = client_for(vru_staff)
    c.get(meeting.get_absolute_url())  # warm the session
    cache.clear()  # the record is a fragment cached per content version: measure it built afresh
    with django_assert_num_queries(MEETING_PAGE):
        response = c.get(meeting.get_absolute_url())
    assert response.content.decode().count("govuk-table__row") >= size
    with django_assert_num_queries(MEETING_PAGE_CACHED):
        again = c.get(meeting.get_absolute_url())
    assert again.content.decode() == response.content.decode().replace(_csrf(response), _csrf(again))


@pytest.mark.parametrize("size", [2, 12])
def test_the_meeting_page_query_count_for_a_board_member_does_not_grow(
    meeting, client_for, board_member, django_assert_num_queries, size
):
    """The board's view: whether the member sees the drafts (sat on the group that day) and their own
    row, read once each, whatever the size of the meeting."""
    _grow(meeting, size)
    c = client_for(board_member)
    c.get(meeting.get_absolute_url())
    cache.clear()
    with django_assert_num_queries(MEETING_PAGE_BOARD):
        response = c.get(meeting.get_absolute_url())
    assert response.content.decode().count("govuk-table__row") >= size
    with django_assert_num_queries(MEETING_PAGE_BOARD_CACHED):
        c.get(meeting.get_absolute_url())


@pytest.mark.parametrize("size", [2, 12])
def test_the_action_log_query_count_does_not_grow(
    meeting, client_for, vru_staff, django_assert_num_queries, size
):
    _grow(meeting, size)
    c = client_for(vru_staff)
    c.get(reverse("governance:actions"))
    cache.clear()  # the list is a fragment cached per data version: measure it built afresh
    with django_assert_num_queries(ACTION_LOG):
        response = c.get(reverse("governance:actions"))
    assert response.content.decode().count("app-overdue") == size // 2
    with django_assert_num_queries(ACTION_LOG_CACHED):
        again = c.get(reverse("governance:actions"))
    assert again.content.decode().count("app-overdue") == size // 2


@pytest.mark.parametrize("size", [2, 12])
def test_the_pack_query_count_does_not_grow(
    meeting, client_for, board_member, django_assert_num_queries, size
):
    _grow(meeting, size)
    # The last meeting's approved minutes, as long as this one's agenda, are in the pack too.
    previous: Any = MeetingFactory(group=meeting.group, date=dt.date(2026, 3, 10))
    minutes = Minutes.objects.create(meeting=previous, status="approved", approved_on=previous.date)
    for n in range(size):
        item: Any = AgendaItemFactory(meeting=previous, order=n + 1)
        MinuteEntry.objects.create(minutes=minutes, agenda_item=item, text=f"Minute {n}.")
    c = client_for(board_member)
    c.get(reverse("governance:meeting_pack", args=[meeting.pk]))
    cache.clear()  # the pack's body is a fragment cached per content version: measure it built afresh
    with django_assert_num_queries(PACK):
        response = c.get(reverse("governance:meeting_pack", args=[meeting.pk]))
    assert response.content.decode().count("Paper ") >= size
    assert response.content.decode().count("Minute ") == size
    # Reloaded (as the board does through a meeting): none of the body's queries.
    with django_assert_num_queries(PACK_CACHED):
        again = c.get(reverse("governance:meeting_pack", args=[meeting.pk]))
    assert again.content.decode().count("Minute ") == size


# Built afresh: session, user, roles, the meeting, the viewer (drafts and own row, one query), the content
# versions, the record's agenda, papers, sub-group updates and groups, decisions (no minutes here, so
# no entries or declarations: not shown, not read), the register and its authorities, the actions
# raised, the staff's history (two tables), the session save.
MEETING_PAGE = 18
# Session, user, roles, the meeting, the content version, the viewer's own attendance row, the
# staff's history (two tables), the session save: none of the record's tables.
MEETING_PAGE_CACHED = 11
# A board member before the meeting: session, user, roles, the meeting, whether they sat on its group
# that day (the drafts), their own row of the register (they may still answer), the content versions,
# the record's agenda, papers, sub-group updates, decisions, the register and its authorities, the
# actions raised, the session save (in a savepoint: three statements).
MEETING_PAGE_BOARD = 17
# Session, user, roles, the meeting, whether they sat on its group, their own row, the content versions,
# the session save (three statements).
MEETING_PAGE_BOARD_CACHED = 10
# The content version, filters' options (a list each), the count, the overdue count, the page's ids
# (the overdue actions' and the others': two queries for a page holding both, as here; one otherwise,
# never more: meeting_selectors.OverdueFirst), its rows; cached: none of those but the content version.
ACTION_LOG = 14
ACTION_LOG_CACHED = 7
# With the performance summary section asking for the framework's measures, and the last meeting's
# minutes: that meeting, its agenda, minute entries, declarations and decisions; the versions the
# pack's body and action log are cached on (one query), and those of its performance summary; the
# sub-groups with their updates in one query.
PACK = 19
# Cached body and summary: session, user, roles, the meeting, the versions of the body and of the
# performance summary, the session save (three).
PACK_CACHED = 9


def test_the_action_log_shows_a_change_at_once_though_its_pages_are_cached(meeting, client_for, vru_staff):
    action: Any = ActionFactory(
        meeting=meeting, status="open", due_date=dt.date(2020, 1, 1), reference="MINE-1"
    )
    c = client_for(vru_staff)
    open_actions = reverse("governance:actions") + "?status=open_all"
    assert "MINE-1" in c.get(open_actions).content.decode()
    # Later (the fixture's clock stands still; a real edit comes after the page was read).
    with time_machine.travel(dt.datetime(2026, 5, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        action.status = "complete"
        action.completed_on = dt.date(2020, 2, 1)
        action.save()
    assert "MINE-1" not in c.get(open_actions).content.decode()
    ActionFactory(meeting=meeting, status="open", due_date=dt.date(2020, 1, 1), reference="LATE-1")
    assert "LATE-1" in c.get(open_actions).content.decode()


def _csrf(response) -> str:
    """The page's CSRF token (masked afresh on every response)."""
    import re

    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    return found[1] if found else ""
