from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from governance.models import Action
from governance.services import actions as services
from tests.forms import date_input

from .factories import ActionFactory, MeetingFactory, PersonFactory, TheoryOfChangeActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(svrp):
    return MeetingFactory(group=svrp.group, date=dt.date(2026, 3, 10))


def test_actions_are_numbered_by_group_year_and_sequence(svrp, vru_staff, meeting):
    toc = TheoryOfChangeActivityFactory(code="1.b")
    first = services.action_create(
        acting_user=vru_staff,
        meeting=meeting,
        description="Send the concordat.",
        owner=svrp.bea,
        due_date=dt.date(2026, 4, 30),
        toc_activity=toc,
    )
    second = services.action_create(
        acting_user=vru_staff,
        meeting=meeting,
        description="Name a deputy.",
        owner=svrp.other,
        due_date=dt.date(2026, 4, 30),
    )
    assert [first.reference, second.reference] == ["SVRP-2026-01", "SVRP-2026-02"]
    assert first.organisation == svrp.portsmouth  # the authority the owner represents
    assert first.toc_activity == toc


def test_a_reference_taken_meanwhile_is_skipped_rather_than_failing(svrp, vru_staff, meeting, monkeypatch):
    from governance.services import meetings as meeting_services

    real = meeting_services._next_reference
    calls = []

    def stale_then_real(prefix, model):
        calls.append(prefix)
        if len(calls) == 1:
            # Another request took SVRP-2026-01 between our read and our insert.
            ActionFactory(reference="SVRP-2026-01", owner=svrp.other)
            return "SVRP-2026-01"
        return real(prefix, model)

    monkeypatch.setattr(meeting_services, "_next_reference", stale_then_real)
    action = services.action_create(
        acting_user=vru_staff,
        meeting=meeting,
        description="Raced.",
        owner=svrp.bea,
        due_date=dt.date(2026, 4, 1),
    )
    assert action.reference == "SVRP-2026-02"
    assert len(calls) == 2


def test_an_owner_who_is_not_a_current_member_is_refused_with_a_message(svrp, vru_staff, meeting):
    stranger = PersonFactory(full_name="Stan Ger")
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            acting_user=vru_staff,
            meeting=meeting,
            description="x",
            owner=stranger,
            due_date=dt.date(2026, 4, 1),
        )
    assert "Stan Ger is not a current member" in caught.value.error_dict["owner"][0].messages[0]
    assert not Action.objects.exists()


def test_an_action_cannot_be_due_before_the_meeting_that_raised_it(svrp, vru_staff, meeting):
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            acting_user=vru_staff,
            meeting=meeting,
            description="x",
            owner=svrp.bea,
            due_date=dt.date(2026, 3, 9),
        )
    assert "on or after the meeting that raised it (10 March 2026)" in str(
        caught.value.error_dict["due_date"]
    )
    assert not Action.objects.exists()


def test_an_update_moves_the_status_and_records_completion(svrp, board_member, meeting):
    action = ActionFactory(owner=svrp.bea, meeting=meeting, due_date=dt.date(2026, 4, 1))
    assert action.is_overdue()
    services.action_update(acting_user=board_member, action=action, text="Sent.", status="complete")
    action.refresh_from_db()
    assert action.status == "complete"
    assert action.completed_on == dt.date(2026, 5, 20)
    assert not action.is_overdue()
    assert action.updates.get().author == board_member
    assert action.history.count() == 2


def test_an_update_dated_in_the_future_is_refused(svrp, board_member, meeting):
    action = ActionFactory(owner=svrp.bea, meeting=meeting)
    with pytest.raises(ValidationError):
        services.action_update(
            acting_user=board_member, action=action, text="Will do.", status="open", date=dt.date(2026, 6, 1)
        )
    assert not action.updates.exists()


def test_an_action_is_raised_on_its_meetings_date_unless_agreed_between_meetings(svrp, vru_staff, meeting):
    at_meeting = services.action_create(
        acting_user=vru_staff,
        meeting=meeting,
        description="Send the concordat.",
        owner=svrp.bea,
        due_date=dt.date(2026, 4, 30),
    )
    between = services.action_create(
        acting_user=vru_staff,
        meeting=meeting,
        description="Name a deputy.",
        owner=svrp.bea,
        due_date=dt.date(2026, 4, 30),
        raised_on=dt.date(2026, 3, 24),
    )
    assert at_meeting.raised_on == dt.date(2026, 3, 10)
    assert between.raised_on == dt.date(2026, 3, 24)


@pytest.mark.parametrize(
    ("raised_on", "due_date", "field", "message"),
    [
        (dt.date(2026, 3, 9), dt.date(2026, 4, 30), "raised_on", "raised at its meeting or agreed after it"),
        (dt.date(2026, 3, 24), dt.date(2026, 3, 20), "due_date", "on or after the day the action was raised"),
    ],
)
def test_an_actions_raised_on_date_follows_the_rule_of_its_dates(
    svrp, vru_staff, meeting, raised_on, due_date, field, message
):
    with pytest.raises(ValidationError) as refused:
        services.action_create(
            acting_user=vru_staff,
            meeting=meeting,
            description="Name a deputy.",
            owner=svrp.bea,
            due_date=due_date,
            raised_on=raised_on,
        )
    assert message in refused.value.message_dict[field][0]


def test_staff_give_the_day_an_action_was_agreed_on_the_form_and_correct_it_later(
    svrp, vru_staff, meeting, client_for
):
    """Seen: the action form had no raised-on date, so an action agreed between meetings was counted
    in its meeting's quarter whatever the day it was agreed."""
    client = client_for(vru_staff)
    data = {"description": "Name a deputy.", "owner": svrp.bea.pk, **date_input("due_date", "30/04/2026")}
    refused = client.post(
        f"/meetings/{meeting.pk}/actions/add/", {**data, **date_input("raised_on", "01/03/2026")}
    )
    assert "raised at its meeting or agreed after it" in refused.text
    client.post(f"/meetings/{meeting.pk}/actions/add/", {**data, **date_input("raised_on", "24/03/2026")})
    action = meeting.actions.get()
    assert action.raised_on == dt.date(2026, 3, 24)
    edit = client.get(f"/actions/{action.reference}/edit/").text
    assert re.findall(r'name="raised_on_[012]" value="(\d+)"', edit) == ["24", "3", "2026"]
    client.post(f"/actions/{action.reference}/edit/", {**data, **date_input("raised_on", "")})
    action.refresh_from_db()
    assert action.raised_on == meeting.date  # blank: raised at the meeting
