from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from governance.calendar import calendar_token
from governance.models import Attendance, Meeting, Minutes, Paper
from governance.services import meetings as services
from tests.forms import date_input

from .factories import AgendaItemFactory, MeetingFactory
from .uploads import PDF_BYTES, docx, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(svrp, vru_staff):
    """An SVRP meeting on Tuesday 9 June 2026 (after 'today'), register pre-filled."""
    meeting = services.meeting_schedule(
        acting_user=vru_staff,
        group=svrp.group,
        date=dt.date(2026, 6, 9),
        start_time=dt.time(10),
        end_time=dt.time(12),
    )
    AgendaItemFactory(meeting=meeting, order=1, title="Declarations of interest")
    return meeting


STAFF_ONLY_PAGES = [
    "governance:meeting_create",
    "governance:meeting_schedule",
]
STAFF_ONLY_MEETING_PAGES = [
    "governance:meeting_edit",
    "governance:agenda_item_add",
    "governance:paper_add",
    "governance:attendance",
    "governance:declaration_add",
    "governance:decision_add",
    "governance:action_add",
    "governance:minutes_edit",
]


@pytest.mark.parametrize("url_name", STAFF_ONLY_MEETING_PAGES)
def test_only_vru_staff_reach_the_meeting_management_pages(
    url_name, meeting, client_for, vru_staff, board_member, subgroup_chair, data_provider, client
):
    url = reverse(url_name, args=[meeting.pk])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for user in (board_member, subgroup_chair, data_provider):
        assert client_for(user).get(url).status_code == 403
    assert client_for(vru_staff).get(url).status_code == 200


@pytest.mark.parametrize("url_name", STAFF_ONLY_PAGES)
def test_only_vru_staff_schedule_meetings(url_name, meeting, client_for, vru_staff, board_member, client):
    url = reverse(url_name)
    assert client.get(url)["Location"].startswith("/accounts/login/")
    assert client_for(board_member).get(url).status_code == 403
    assert client_for(vru_staff).get(url).status_code == 200


def test_every_signed_in_role_reads_the_meeting_list_and_page(
    meeting, client_for, board_member, data_provider
):
    for user in (board_member, data_provider):
        c = client_for(user)
        assert str(meeting) in c.get(reverse("governance:meetings")).content.decode()
        assert c.get(meeting.get_absolute_url()).status_code == 200


def test_the_meeting_list_puts_upcoming_meetings_first_and_filters_by_group(svrp, client_for, vru_staff):
    MeetingFactory(group=svrp.group, date=dt.date(2026, 3, 10), title="Spring meeting")
    MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9), title="Summer meeting")
    MeetingFactory(group=svrp.dawg, date=dt.date(2026, 6, 1), title="DAWG meeting")
    page = client_for(vru_staff).get(reverse("governance:meetings")).content.decode()
    assert page.index("Summer meeting") < page.index("Spring meeting")
    filtered = client_for(vru_staff).get(reverse("governance:meetings"), {"group": "dawg"}).content.decode()
    assert "DAWG meeting" in filtered
    assert "Summer meeting" not in filtered


def test_staff_schedule_a_meeting_and_impossible_dates_get_a_clear_message(svrp, client_for, vru_staff):
    c = client_for(vru_staff)
    url = reverse("governance:meeting_create")
    response = c.post(
        url, {"group": svrp.group.pk, **date_input("date", "31/02/2026"), "status": "scheduled"}
    )
    assert "Enter a real date." in response.content.decode()
    response = c.post(
        url,
        {
            "group": svrp.group.pk,
            **date_input("date", "09/06/2026"),
            "start_time": "14:00",
            "end_time": "13:00",
            "status": "scheduled",
        },
    )
    assert "The end time must be after the start time." in response.content.decode()
    assert not Meeting.objects.exists()
    response = c.post(
        url,
        {
            "group": svrp.group.pk,
            **date_input("date", "09/06/2026"),
            "start_time": "10:00",
            "end_time": "12:00",
            "status": "scheduled",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.attendance.count() == 2


def test_the_edit_form_shows_the_date_and_times_as_typed_and_saves_when_sent_back_unchanged(
    meeting, client_for, vru_staff
):
    c = client_for(vru_staff)
    url = reverse("governance:meeting_edit", args=[meeting.pk])
    page = c.get(url).content.decode()
    values = dict(re.findall(r'name="(date_[012]|start_time|end_time)" value="([^"]*)"', page))
    assert values == {**date_input("date", dt.date(2026, 6, 9)), "start_time": "10:00", "end_time": "12:00"}
    response = c.post(url, {"group": meeting.group.pk, **values, "status": "held"})
    assert "A meeting can be marked as held only once its date has come." in response.content.decode()
    response = c.post(url, {"group": meeting.group.pk, **values, "status": "scheduled"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert (meeting.start_time, meeting.end_time) == (dt.time(10), dt.time(12))
    with time_machine.travel(dt.datetime(2026, 6, 9, 13, 0, tzinfo=dt.UTC), tick=False):
        response = client_for(vru_staff).post(url, {"group": meeting.group.pk, **values, "status": "held"})
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_the_schedule_helper_proposes_four_dates_and_staff_confirm_three(meeting, client_for, vru_staff):
    c = client_for(vru_staff)
    url = reverse("governance:meeting_schedule")
    page = c.get(url).content.decode()
    assert "Tuesday 08 September 2026" in page
    c.post(
        url,
        {
            **date_input("date_1", "08/09/2026"),
            **date_input("date_2", "08/12/2026"),
            **date_input("date_3", ""),
            **date_input("date_4", "08/06/2027"),
        },
    )
    dates = list(Meeting.objects.order_by("date").values_list("date", flat=True))
    assert dates == [dt.date(2026, 6, 9), dt.date(2026, 9, 8), dt.date(2026, 12, 8), dt.date(2027, 6, 8)]
    assert Meeting.objects.get(date=dt.date(2026, 9, 8)).start_time == dt.time(10)


def test_the_meeting_page_counts_authorities_by_organisation_with_a_deputy_counting(
    meeting, svrp, client_for, vru_staff
):
    bea = meeting.attendance.get(person=svrp.bea)
    other = meeting.attendance.get(person=svrp.other)
    services.attendance_record(acting_user=vru_staff, attendance=bea, status="deputy", deputy_name="Dee Puty")
    services.attendance_record(acting_user=vru_staff, attendance=other, status="apologies")
    page = client_for(vru_staff).get(meeting.get_absolute_url()).content.decode()
    assert "of 3" not in page  # not judged before the day
    assert "This meeting has not taken place yet" in page
    with time_machine.travel(dt.datetime(2026, 6, 9, 13, 0, tzinfo=dt.UTC), tick=False):
        page = client_for(vru_staff).get(meeting.get_absolute_url()).content.decode()
    assert "2 of 3" not in page
    assert "1 of 3" in page  # Portsmouth through its deputy; not the Constabulary nor Fire
    represented = page.split("Not represented")[0].split('<h3 class="govuk-heading-s">Represented</h3>')[1]
    assert "Portsmouth City Council" in represented
    assert "Hampshire and Isle of Wight Constabulary" not in represented


def test_a_register_row_saves_by_htmx_and_returns_the_row(meeting, svrp, client_for, vru_staff):
    row = meeting.attendance.get(person=svrp.bea)
    url = reverse("governance:attendance_row", args=[meeting.pk, row.pk])
    response = client_for(vru_staff).post(
        url, {f"row{row.pk}-status": "deputy", f"row{row.pk}-deputy_name": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<tr")
    assert "Enter the name of the deputy who came instead." in body
    response = client_for(vru_staff).post(
        url, {f"row{row.pk}-status": "deputy", f"row{row.pk}-deputy_name": "Dee Puty"}, HTTP_HX_REQUEST="true"
    )
    assert "Saved: Deputy sent." in response.content.decode()
    row.refresh_from_db()
    assert row.deputy_name == "Dee Puty"


def test_a_register_row_saves_without_javascript_too(meeting, svrp, client_for, vru_staff):
    row = meeting.attendance.get(person=svrp.other)
    url = reverse("governance:attendance_row", args=[meeting.pk, row.pk])
    response = client_for(vru_staff).post(url, {f"row{row.pk}-status": "apologies"})
    assert response["Location"].endswith(f"/attendance/#row-{row.pk}")
    row.refresh_from_db()
    assert row.status == "apologies"
    response = client_for(vru_staff).post(url, {f"row{row.pk}-status": "deputy"})
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()


def test_board_members_cannot_record_the_register(meeting, svrp, client_for, board_member):
    row = meeting.attendance.get(person=svrp.bea)
    url = reverse("governance:attendance_row", args=[meeting.pk, row.pk])
    assert client_for(board_member).post(url, {f"row{row.pk}-status": "present"}).status_code == 403


def test_a_board_member_sends_their_own_apologies_before_the_meeting(meeting, svrp, client_for, board_member):
    c = client_for(board_member)
    page = c.get(meeting.get_absolute_url()).content.decode()
    assert "Your attendance" in page
    response = c.post(
        reverse("governance:my_attendance", args=[meeting.pk]), {"status": "deputy", "deputy_name": "Dee"}
    )
    assert response.status_code == 302
    row = meeting.attendance.get(person=svrp.bea)
    assert (row.status, row.deputy_name) == ("deputy", "Dee")
    assert row.history.first().history_user == board_member


def test_the_cached_meeting_record_shows_a_reply_at_once_and_keeps_confidential_papers_to_the_board(
    meeting, svrp, client_for, board_member, subgroup_chair, vru_staff, tmp_path, settings
):
    """The record is rendered once per content version and per 'sees confidential papers' (not per
    viewer): a reply shows on the next view, and the board's copy never reaches a sub-group chair."""
    settings.MEDIA_ROOT = tmp_path
    _paper(meeting, vru_staff, confidential=True, tmp_path=tmp_path)
    board = client_for(board_member)
    before = board.get(meeting.get_absolute_url()).content.decode()
    assert "Secret" in before and "Dee" not in before
    response = board.post(
        reverse("governance:my_attendance", args=[meeting.pk]), {"status": "deputy", "deputy_name": "Dee"}
    )
    assert response.status_code == 302
    page = board.get(meeting.get_absolute_url()).content.decode()
    assert "Your reply so far: Deputy sent" in page and "Dee" in page.split('id="attendance"')[1]
    chair_page = client_for(subgroup_chair).get(meeting.get_absolute_url()).content.decode()
    assert "Secret" not in chair_page and "Dee" in chair_page


def test_a_member_without_a_row_or_after_the_meeting_cannot_reply(
    meeting, svrp, client_for, subgroup_chair, board_member, time_machine
):
    url = reverse("governance:my_attendance", args=[meeting.pk])
    assert client_for(subgroup_chair).post(url, {"status": "apologies"}).status_code == 403
    time_machine.move_to(dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC))
    assert client_for(board_member).post(url, {"status": "apologies"}).status_code == 403
    assert meeting.attendance.get(person=svrp.bea).status == Attendance.Status.EXPECTED


def test_a_paper_whose_content_does_not_match_its_name_is_refused_and_nothing_is_stored(
    meeting, client_for, vru_staff, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(vru_staff).post(
        reverse("governance:paper_add", args=[meeting.pk]),
        {"title": "Budget", "file": SimpleUploadedFile("budget.docx", PDF_BYTES)},
    )
    assert "The selected file is not in DOCX format, whatever its name says." in response.content.decode()
    assert not Paper.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def _paper(meeting, staff, *, confidential: bool, tmp_path) -> Paper:
    return services.paper_add(
        acting_user=staff,
        meeting=meeting,
        title="Secret" if confidential else "Open",
        upload=pdf("x.pdf") if confidential else docx("Open paper.docx"),
        confidential=confidential,
    )


def test_papers_are_stored_under_unguessable_names_and_served_as_attachments(
    meeting, client_for, vru_staff, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    client_for(vru_staff).post(
        reverse("governance:paper_add", args=[meeting.pk]),
        {"title": "Strategy", "file": docx("Strategy v2.docx")},
    )
    paper = Paper.objects.get()
    assert "Strategy" not in paper.file.name
    assert paper.file_type == "docx"
    response = client_for(vru_staff).get(reverse("governance:paper_download", args=[paper.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="Strategy v2.docx"' in response["Content-Disposition"]


def test_confidential_papers_are_for_staff_and_board_members_only(
    meeting, client_for, vru_staff, board_member, subgroup_chair, client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    secret = _paper(meeting, vru_staff, confidential=True, tmp_path=tmp_path)
    url = reverse("governance:paper_download", args=[secret.pk])
    assert client_for(vru_staff).get(url).status_code == 200
    assert client_for(board_member).get(url).status_code == 200
    assert client_for(subgroup_chair).get(url).status_code == 404
    assert "Secret" not in client_for(subgroup_chair).get(meeting.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(url).status_code == 404


def test_the_public_downloads_only_non_confidential_papers_of_published_meetings(
    meeting, client, vru_staff, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    open_paper = _paper(meeting, vru_staff, confidential=False, tmp_path=tmp_path)
    secret = _paper(meeting, vru_staff, confidential=True, tmp_path=tmp_path)
    assert client.get(reverse("governance:paper_download", args=[open_paper.pk])).status_code == 404
    Minutes.objects.create(meeting=meeting, status="published", approved_on=dt.date(2026, 6, 9))
    assert client.get(reverse("governance:paper_download", args=[open_paper.pk])).status_code == 200
    assert client.get(reverse("governance:paper_download", args=[secret.pk])).status_code == 404


def test_staff_write_approve_and_publish_minutes(meeting, client_for, vru_staff, board_member):
    item = meeting.agenda_items.get()
    c = client_for(vru_staff)
    c.post(
        reverse("governance:minutes_edit", args=[meeting.pk]),
        {"summary": "", f"item_{item.pk}": "None declared."},
    )
    approve = reverse("governance:minutes_approve", args=[meeting.pk])
    # 'Today' is 20 May: the 9 June meeting has not happened, so its minutes cannot be approved yet.
    assert (
        "only after the meeting has taken place"
        in c.post(approve, {**date_input("approved_on", "09/06/2026")}).text
    )
    with time_machine.travel(dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        c = client_for(vru_staff)
        response = c.post(approve, {**date_input("approved_on", "08/06/2026")})
        assert "cannot be approved before the meeting took place" in response.content.decode()
        assert "cannot be in the future" in c.post(approve, {**date_input("approved_on", "11/06/2026")}).text
        c.post(approve, {**date_input("approved_on", "09/06/2026")})
        publish = reverse("governance:minutes_publish", args=[meeting.pk])
        assert client_for(board_member).post(publish).status_code == 403
        assert client_for(board_member).get(publish).status_code == 403
        c = client_for(vru_staff)
        # Publishing asks first: what becomes public, and what stays unrecorded or missing.
        preview = c.get(publish).text
        assert "What will happen" in preview and "cannot be undone" in preview
        assert "Attendance not recorded" in preview and "Bea Member (Portsmouth City Council)" in preview
        meeting.minutes.refresh_from_db()
        assert meeting.minutes.status == "approved"  # nothing is published by looking
        c.post(publish)
    meeting.refresh_from_db()
    assert meeting.minutes.status == "published"
    assert meeting.status == "held"


def test_declarations_of_interest_appear_in_the_minutes(meeting, svrp, client_for, vru_staff):
    item = meeting.agenda_items.get()
    c = client_for(vru_staff)
    c.post(
        reverse("governance:declaration_add", args=[meeting.pk]),
        {
            "person": svrp.other.pk,
            "agenda_item": item.pk,
            "interest": "Trustee of a bidding charity.",
            "action_taken": "Left the room.",
        },
    )
    c.post(reverse("governance:minutes_edit", args=[meeting.pk]), {f"item_{item.pk}": "Noted."})
    page = c.get(meeting.get_absolute_url()).content.decode()
    assert "Oliver Other" in page and "Trustee of a bidding charity." in page and "Left the room." in page


def test_the_calendar_feed_needs_a_login_or_the_users_own_token(
    meeting, client, client_for, board_member, vru_staff
):
    url = reverse("governance:calendar")
    assert client.get(url).status_code == 403
    assert client.get(url, {"u": board_member.pk, "t": calendar_token(vru_staff)}).status_code == 403
    token = calendar_token(board_member)
    response = client.get(url, {"u": board_member.pk, "t": token})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "DTSTART;TZID=Europe/London:20260609T100000" in body
    board_member.set_password("a-new-password-entirely")
    board_member.save()
    # The address given out before the password change stops working; the new one works.
    assert client.get(url, {"u": board_member.pk, "t": token}).status_code == 403
    assert client.get(url, {"u": board_member.pk, "t": calendar_token(board_member)}).status_code == 200


def test_the_group_calendar_lists_only_that_groups_meetings(meeting, svrp, client_for, board_member):
    MeetingFactory(group=svrp.dawg, date=dt.date(2026, 6, 2), title="DAWG June")
    c = client_for(board_member)
    dawg = c.get(reverse("governance:calendar_group", args=["dawg"])).content.decode()
    assert "DAWG June" in dawg and "SVRP" not in dawg.split("BEGIN:VEVENT", 1)[1]
    assert c.get(reverse("governance:calendar_group", args=["nope"])).status_code == 404


def test_scheduling_one_meeting_says_one_meeting(meeting, client_for, vru_staff):
    c = client_for(vru_staff)
    data = {**date_input("date_1", "08/09/2026")}
    for n in (2, 3, 4):
        data.update(date_input(f"date_{n}", ""))
    page = c.post(reverse("governance:meeting_schedule"), data, follow=True).text
    assert "1 meeting scheduled." in page
