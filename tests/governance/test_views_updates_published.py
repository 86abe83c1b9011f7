from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from governance.models import SubgroupUpdate
from governance.services import meetings as services

from .factories import ActionFactory, AgendaItemFactory, MeetingFactory
from .uploads import docx, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_svrp(svrp):
    return MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))


def test_a_sub_group_chair_submits_their_groups_update_for_the_next_svrp_meeting(
    next_svrp, svrp, client_for, subgroup_chair
):
    c = client_for(subgroup_chair)
    page = c.get(reverse("governance:updates")).content.decode()
    assert "Not submitted" in page
    response = c.post(
        reverse("governance:update_submit", args=["dawg"]),
        {"summary": "Dashboard live.", "rag": "green", "escalations": "Need ICB data."},
    )
    assert response.status_code == 302
    update = SubgroupUpdate.objects.get()
    assert (update.group, update.meeting, update.submitted_by) == (svrp.dawg, next_svrp, subgroup_chair)


def test_a_sub_group_chair_cannot_submit_another_groups_update(next_svrp, client_for, subgroup_chair):
    response = client_for(subgroup_chair).post(
        reverse("governance:update_submit", args=["tvrp"]), {"summary": "x", "rag": "red"}
    )
    assert response.status_code == 403
    assert not SubgroupUpdate.objects.exists()


@pytest.mark.parametrize("role", ["board_member", "data_provider"])
def test_other_roles_neither_see_the_tracker_nor_submit(next_svrp, client_for, request, role):
    c = client_for(request.getfixturevalue(role))
    assert c.get(reverse("governance:updates")).status_code == 403
    assert c.get(reverse("governance:update_submit", args=["dawg"])).status_code == 403


def test_staff_see_who_has_and_has_not_submitted(next_svrp, svrp, client_for, vru_staff, subgroup_chair):
    services.subgroup_update_submit(
        acting_user=subgroup_chair, group=svrp.dawg, meeting=next_svrp, summary="Done.", rag="amber"
    )
    page = client_for(vru_staff).get(reverse("governance:updates")).content.decode()
    assert "1 of 2 sub-groups have submitted" in page
    meeting_page = client_for(vru_staff).get(next_svrp.get_absolute_url()).content.decode()
    assert "Missing" not in meeting_page  # not before the meeting: awaited, not missing
    assert "Not yet received" in meeting_page and "Received" in meeting_page
    with time_machine.travel(dt.datetime.combine(next_svrp.date, dt.time(13), tzinfo=dt.UTC), tick=False):
        meeting_page = client_for(vru_staff).get(next_svrp.get_absolute_url()).content.decode()
    assert "Missing" in meeting_page and "Received" in meeting_page


def test_a_missing_field_in_an_update_gets_a_message_and_nothing_is_saved(
    next_svrp, client_for, subgroup_chair
):
    response = client_for(subgroup_chair).post(
        reverse("governance:update_submit", args=["dawg"]), {"summary": ""}
    )
    body = response.content.decode()
    assert "Enter a summary." in body and "Choose a RAG status." in body
    assert not SubgroupUpdate.objects.exists()


@pytest.fixture
def published(svrp, vru_staff, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp.group, date=dt.date(2026, 3, 10))
    item = AgendaItemFactory(meeting=meeting, order=1, title="Strategy")
    services.attendance_record(
        acting_user=vru_staff,
        attendance=meeting.attendance.get(person=svrp.bea),
        status="deputy",
        deputy_name="Dee Puty",
    )
    services.paper_add(acting_user=vru_staff, meeting=meeting, title="Public strategy", upload=docx())
    services.paper_add(
        acting_user=vru_staff, meeting=meeting, title="Restricted briefing", upload=pdf(), confidential=True
    )
    services.declaration_add(acting_user=vru_staff, meeting=meeting, person=svrp.other, interest="Trustee.")
    services.decision_add(acting_user=vru_staff, meeting=meeting, text="Strategy adopted.")
    ActionFactory(reference="SVRP-2026-01", meeting=meeting, owner=svrp.bea, due_date=dt.date(2026, 4, 1))
    minutes = services.minutes_save(
        acting_user=vru_staff, meeting=meeting, summary="", entries={item.pk: "Discussed."}
    )
    return meeting, minutes


def test_an_unpublished_meeting_is_not_found_by_the_public(published, client):
    meeting, minutes = published
    assert client.get(reverse("governance:published_meeting", args=[meeting.pk])).status_code == 404
    services.minutes_approve(
        acting_user=None, minutes=minutes, approved_on=dt.date(2026, 5, 1), approved_at_meeting=None
    )
    assert client.get(reverse("governance:published_meeting", args=[meeting.pk])).status_code == 404
    assert str(meeting) not in client.get(reverse("governance:published_meetings")).content.decode()


def test_the_published_meeting_shows_attendees_minutes_decisions_and_actions_and_nothing_confidential(
    published, client
):
    meeting, minutes = published
    minutes = services.minutes_approve(
        acting_user=None, minutes=minutes, approved_on=dt.date(2026, 5, 1), approved_at_meeting=None
    )
    services.minutes_publish(acting_user=None, minutes=minutes)
    assert str(meeting) in client.get(reverse("governance:published_meetings")).content.decode()
    page = client.get(reverse("governance:published_meeting", args=[meeting.pk])).content.decode()
    assert "Portsmouth City Council" in page and "Deputy sent" in page
    assert "1 of 3" in page
    assert "Discussed." in page and "Strategy adopted." in page and "Trustee." in page
    assert "SVRP-2026-01" in page and "Overdue" in page
    assert "Public strategy" in page
    assert "Restricted briefing" not in page
    assert "@example.org" not in page
    assert "Bea Member" not in page and "Dee Puty" not in page  # organisations and roles, not names
    assert "meet.example" not in page
