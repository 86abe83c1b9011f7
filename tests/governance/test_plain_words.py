"""Plain words: counts agree with their nouns, forms ask what they mean, groups and history are named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from simple_history.models import DeletedObject

from crest.history import history_rows
from governance.history import history_entries, readable
from governance.meeting_forms import AttendanceForm, SubgroupUpdateForm
from governance.models import Action, Person
from governance.register_selectors import AttendanceRate

from .factories import ActionFactory, MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_rate_of_one_meeting_says_meeting():
    assert str(AttendanceRate(represented=1, meetings=1)) == "100% (1 of 1 meeting)"
    assert str(AttendanceRate(represented=1, meetings=2)) == "50% (1 of 2 meetings)"


def test_before_a_meeting_the_member_is_asked_who_will_attend_instead():
    own = AttendanceForm(own=True)
    assert own.fields["deputy_name"].label == "Who will attend instead?"
    # On the day, staff record who came.
    assert AttendanceForm().fields["deputy_name"].label == "Name of the deputy or officer who came"


def test_the_member_reply_page_asks_who_will_attend_instead(svrp, client_for, board_member):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    meeting.attendance.create(person=svrp.bea, organisation=svrp.portsmouth)
    page = client_for(board_member).get(meeting.get_absolute_url()).content.decode()
    assert "Who will attend instead?" in page


def test_the_sub_group_update_form_names_the_group_in_full(svrp, client_for, subgroup_chair):
    form = SubgroupUpdateForm(group=svrp.dawg)
    assert "Data and Analysis Working Group" in form.fields["summary"].label
    MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    page = client_for(subgroup_chair).get(reverse("governance:update_submit", args=["dawg"])).content.decode()
    assert "Update from the Data and Analysis Working Group" in page
    assert "DAWG update" not in page


def test_an_empty_link_is_nothing_and_a_deleted_one_says_so():
    assert readable(DeletedObject(Person, None)) == "–"
    assert readable(DeletedObject(Person, 5)) == "a deleted person"
    assert readable("Bea") == "Bea"


def test_a_changed_link_in_the_history_names_the_person_not_a_number(svrp, vru_staff):
    action = ActionFactory(owner=svrp.bea, organisation=svrp.portsmouth)
    Action.objects.get(pk=action.pk)
    action.owner = svrp.other
    action.save()
    changes = history_entries(Action.history.filter(id=action.pk))[0]["changes"]
    assert "Bea Member → Oliver Other" in changes
    assert f"{svrp.bea.pk} →" not in changes and "pk=" not in changes


def test_a_recommendations_owner_set_for_the_first_time_is_not_a_deleted_person(client_for, superuser):
    from tests.crest.factories import RecommendationFactory

    rec = RecommendationFactory(number="4.1", owner_person=None)
    rec.owner_person = PersonFactory(full_name="Oona Owner")
    rec.save()
    shown = [(c.old, c.new) for row in history_rows(rec) for c in row.changes]
    assert ("—", "Oona Owner") in shown
    response = client_for(superuser).get(f"/admin/crest/recommendation/{rec.pk}/history/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deleted person" not in page and "pk=None" not in page
    assert "Oona Owner" in page


def test_the_register_admin_history_names_an_account_linked_for_the_first_time(
    client_for, superuser, make_user
):
    person = PersonFactory(full_name="Lena Linked", user=None)
    person.user = make_user(username="lena.linked")
    person.save()
    response = client_for(superuser).get(f"/admin/governance/person/{person.pk}/history/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "pk=None" not in page and "lena.linked" in page


def test_the_portals_own_function_codes_are_explained_where_shown(svrp, client_for, board_member):
    """Seen: "ToC F1" beside an action, and F1–F4 nowhere explained (the ToR does not number them)."""
    from governance.models import TheoryOfChangeActivity

    from .factories import TheoryOfChangeActivityFactory

    core = TheoryOfChangeActivityFactory(
        code="F1", title="VRU Core Group", kind=TheoryOfChangeActivity.Kind.FUNCTION
    )
    ActionFactory(toc_activity=core)
    client = client_for(board_member)
    assert "Theory of Change: F1 VRU Core Group" in client.get(reverse("governance:actions")).text
    page = client.get(reverse("governance:theory_of_change")).text
    assert (
        "The Terms of Reference list these functions without numbers. The portal numbers them F1 to F4"
        in page
    )
