from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Attendance, Minutes

from .factories import ActionFactory, MeetingFactory, OrganisationFactory, PersonFactory, publish_minutes

pytestmark = pytest.mark.django_db

ROLES = ["vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"]


@pytest.fixture
def published_meeting():
    meeting = publish_minutes(MeetingFactory(), decision="Adopt the response strategy.")
    police = OrganisationFactory(name="Hampshire and Isle of Wight Constabulary", slug="constabulary")
    council = OrganisationFactory(name="Portsmouth City Council", slug="portsmouth")
    absent = OrganisationFactory(name="Probation Service", slug="probation")
    for org, status in [(police, "present"), (council, "deputy"), (absent, "apologies")]:
        Attendance.objects.create(
            meeting=meeting, person=PersonFactory(organisation=org), organisation=org, status=status
        )
    return meeting


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_meetings_with_published_fields_only(request, api_for, published_meeting, role):
    response = api_for(request.getfixturevalue(role)).get("/api/meetings/")
    assert response.status_code == 200
    (meeting,) = response.json()["results"]
    assert meeting["group"] == {
        "slug": "svrp",
        "name": "Strategic Violence Reduction Partnership",
        "short_name": "SVRP",
    }
    assert meeting["date"] == "2026-05-14" and meeting["start_time"] == "10:00"
    assert meeting["minutes_published"] is True
    assert meeting["decisions"] == [
        {"reference": f"D-{published_meeting.pk}", "text": "Adopt the response strategy."}
    ]
    # Present in person or by deputy; apologies are not "represented".
    assert [o["slug"] for o in meeting["organisations_represented"]] == ["constabulary", "portsmouth"]
    assert "location" not in meeting and "online_link" not in meeting


def test_unpublished_minutes_keep_decisions_and_attendance_back(api_for, board_member):
    meeting = MeetingFactory()
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.APPROVED, approved_on=meeting.date)
    body = api_for(board_member).get(f"/api/meetings/{meeting.pk}/").json()
    assert body["minutes_published"] is False
    assert body["decisions"] is None and body["organisations_represented"] is None


def test_meetings_filter_by_group_date_and_publication(api_for, board_member, published_meeting):
    later = MeetingFactory(date=dt.date(2026, 8, 13), status="scheduled")
    client = api_for(board_member)
    assert [m["id"] for m in client.get("/api/meetings/?published=false").json()["results"]] == [later.pk]
    assert [m["id"] for m in client.get("/api/meetings/?date_after=2026-07-01").json()["results"]] == [
        later.pk
    ]
    assert client.get("/api/meetings/?group=tvrp").json()["count"] == 0
    assert client.get("/api/meetings/?status=scheduled").json()["count"] == 1


def test_a_bad_filter_value_gets_400_naming_the_field(api_for, board_member):
    response = api_for(board_member).get("/api/meetings/?date_after=yesterday&status=soon")
    assert response.status_code == 400
    assert set(response.json()) == {"date", "status"}


def test_meeting_list_query_count_does_not_grow(api_for, board_member):
    client = api_for(board_member)
    publish_minutes(MeetingFactory())
    client.get("/api/meetings/")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/meetings/")
    for day in range(1, 6):
        meeting = publish_minutes(MeetingFactory(date=dt.date(2026, 1, day)))
        org = OrganisationFactory()
        Attendance.objects.create(
            meeting=meeting, person=PersonFactory(organisation=org), organisation=org, status="present"
        )
    with CaptureQueriesContext(connection) as large:
        client.get("/api/meetings/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_an_unknown_meeting_is_a_json_404(api_for, board_member):
    response = api_for(board_member).get("/api/meetings/999999/")
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_action_log_as_the_web_shows_it(request, api_for, role):
    action = ActionFactory(reference="SVRP-2026-07", owner=PersonFactory(full_name="Alex Owner"))
    response = api_for(request.getfixturevalue(role)).get("/api/actions/SVRP-2026-07/")
    assert response.status_code == 200
    body = response.json()
    assert body["owner"] == "Alex Owner"
    assert body["organisation"]["slug"] == action.organisation.slug
    assert body["status"] == "open"


@time_machine.travel(dt.datetime(2026, 7, 15, 9, tzinfo=dt.UTC), tick=False)
def test_actions_carry_their_overdue_flag_and_filter_by_it(api_for, board_member):
    ActionFactory(reference="SVRP-2026-01", due_date=dt.date(2026, 6, 30))
    ActionFactory(reference="SVRP-2026-02", due_date=dt.date(2026, 9, 30))
    ActionFactory(reference="SVRP-2026-03", due_date=dt.date(2026, 6, 1), status="complete")
    client = api_for(board_member)
    flags = {a["reference"]: a["is_overdue"] for a in client.get("/api/actions/").json()["results"]}
    assert flags == {"SVRP-2026-01": True, "SVRP-2026-02": False, "SVRP-2026-03": False}
    overdue = client.get("/api/actions/?overdue=true").json()["results"]
    assert [a["reference"] for a in overdue] == ["SVRP-2026-01"]
    done = client.get("/api/actions/?status=complete&status=closed").json()["results"]
    assert [a["reference"] for a in done] == ["SVRP-2026-03"]


def test_action_list_query_count_does_not_grow(api_for, board_member, django_assert_num_queries):
    client = api_for(board_member)
    ActionFactory()
    client.get("/api/actions/")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/actions/")
    ActionFactory.create_batch(6, meeting=MeetingFactory())
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/api/actions/")


def test_the_api_reads_only(api_for, vru_staff):
    client = api_for(vru_staff)
    action = ActionFactory()
    assert client.post("/api/actions/", {}, format="json").status_code == 405
    assert client.delete(f"/api/actions/{action.reference}/").status_code == 405
    assert client.patch(f"/api/meetings/{MeetingFactory().pk}/", {}, format="json").status_code == 405


def test_anonymous_gets_401_on_actions(client):
    assert client.get("/api/actions/").status_code == 401
