from __future__ import annotations

import datetime as dt

import pytest

from .factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_next_meeting_and_my_actions_overdue_first(svrp, client_for, board_member):
    MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9), title="June SVRP")
    ActionFactory(reference="SVRP-2026-09", owner=svrp.bea, due_date=dt.date(2026, 9, 1))
    ActionFactory(reference="SVRP-2026-03", owner=svrp.bea, due_date=dt.date(2026, 4, 1))
    ActionFactory(reference="SVRP-2026-05", owner=svrp.other, due_date=dt.date(2026, 4, 1))
    page = client_for(board_member).get("/").content.decode()
    assert "June SVRP" in page
    assert page.index("SVRP-2026-03") < page.index("SVRP-2026-09")
    assert "SVRP-2026-05" not in page
    assert "Overdue" in page


def test_home_tells_a_chair_which_update_is_due(svrp, client_for, subgroup_chair):
    MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    page = client_for(subgroup_chair).get("/").content.decode()
    assert "Submit the Data and Analysis Working Group update for 9 June 2026" in page


def test_navigation_offers_my_actions_to_board_members_and_updates_to_chairs(
    svrp, client_for, board_member, subgroup_chair
):
    mine = 'class="govuk-service-navigation__link" href="/actions/mine/"'
    updates = 'class="govuk-service-navigation__link" href="/updates/"'
    board = client_for(board_member).get("/").content.decode()
    assert mine in board and updates not in board
    chair = client_for(subgroup_chair).get("/").content.decode()
    assert updates in chair and mine not in chair


def test_home_panels_are_cached_per_user_and_show_a_new_action_or_role_at_once(
    svrp, client_for, board_member, make_user
):
    """The panels are rendered once per content version for each user and set of roles."""
    from django.contrib.auth.models import Group

    from core.roles import Role

    ActionFactory(reference="SVRP-2026-03", owner=svrp.bea, due_date=dt.date(2026, 9, 1))
    ActionFactory(reference="SVRP-2026-05", owner=svrp.other, due_date=dt.date(2026, 9, 1))
    other_user = make_user(Role.BOARD_MEMBER, username="other.member")
    svrp.other.user = other_user
    svrp.other.save()
    assert "SVRP-2026-03" in client_for(board_member).get("/").content.decode()
    other_page = client_for(other_user).get("/").content.decode()
    assert "SVRP-2026-05" in other_page and "SVRP-2026-03" not in other_page

    ActionFactory(reference="SVRP-2026-11", owner=svrp.bea, due_date=dt.date(2026, 10, 1))
    page = client_for(board_member).get("/").content.decode()
    assert "SVRP-2026-11" in page and "SVRP-2026-05" not in page
    assert "sub-group updates due" not in page.lower()
    board_member.groups.add(Group.objects.get_or_create(name=Role.SUBGROUP_CHAIR.value)[0])
    assert "sub-group updates due" in client_for(board_member).get("/").content.decode().lower()
