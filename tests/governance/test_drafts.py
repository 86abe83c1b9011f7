"""Draft minutes and decisions stay with VRU staff and the meeting's group until approved (seen: they
were shown to every signed-in role, data providers included; the API already hid them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from governance.models import Decision, Minutes
from governance.services import meetings as services

from .factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

MINUTE = "The board agreed the draft strategy in principle."
DECISION = "Adopt the draft Response Strategy for consultation."


@pytest.fixture
def drafted(svrp, vru_staff):
    meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp.group, date=dt.date(2026, 3, 10))
    item = AgendaItemFactory(meeting=meeting, order=1, title="Strategy")
    services.minutes_save(acting_user=vru_staff, meeting=meeting, summary="", entries={item.pk: MINUTE})
    Decision.objects.create(meeting=meeting, reference="D-1", text=DECISION)
    cache.clear()
    return meeting


@pytest.mark.parametrize(
    ("role", "sees"),
    [("vru_staff", True), ("board_member", True), ("data_provider", False), ("subgroup_chair", False)],
)
def test_draft_minutes_and_decisions_are_seen_only_by_staff_and_the_groups_members(
    drafted, client_for, request, role, sees
):
    page = client_for(request.getfixturevalue(role)).get(drafted.get_absolute_url()).text
    assert (MINUTE in page) is sees
    assert (DECISION in page) is sees
    if not sees:
        assert "The minutes are in draft" in page


def test_once_approved_every_signed_in_role_sees_them(drafted, client_for, vru_staff, data_provider):
    client_for(data_provider).get(drafted.get_absolute_url())  # cache the draft view first
    services.minutes_approve(
        acting_user=vru_staff,
        minutes=Minutes.objects.get(meeting=drafted),
        approved_on=drafted.date,
        approved_at_meeting=None,
    )
    page = client_for(data_provider).get(drafted.get_absolute_url()).text
    assert MINUTE in page and DECISION in page


def test_a_membership_ended_before_the_meeting_does_not_show_its_drafts(
    drafted, svrp, client_for, board_member
):
    """The member rule is the membership in force on the meeting's day, read with the meeting."""
    svrp.bea.memberships.update(end_date=drafted.date - dt.timedelta(days=1))
    page = client_for(board_member).get(drafted.get_absolute_url()).text
    assert MINUTE not in page and DECISION not in page
    assert "The minutes are in draft" in page
