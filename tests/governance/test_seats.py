"""Seats are records of their own and attendance is by authority, on the meeting's date.

Each test is a situation seen on the portal before seats were records: vacant seats were placeholder
people, so an authority without a named member could not be marked present; filling a seat left
"Vacant seat" beside its holder; ending a membership took the seat away; a meeting's register kept a
member who had left and missed one who had joined; vacant seats showed attendance rates.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from governance.models import Attendance, Membership, Organisation, PartnershipGroup, Person, Seat
from governance.quarters import FinancialQuarter
from governance.services import meetings as services
from governance.services.registers import membership_end, membership_start, seat_archive
from performance.derived import svrp_attendance
from tests.forms import date_input

pytestmark = pytest.mark.django_db

DAY_AFTER = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC)  # the day after the 8 December meeting
MEETING_DAY = dt.date(2026, 12, 8)
Q3 = FinancialQuarter.of(MEETING_DAY)


@pytest.fixture
def reference():
    call_command("load_reference_data", stdout=io.StringIO())


def svrp() -> PartnershipGroup:
    return PartnershipGroup.objects.get(short_name="SVRP")


def seat_of(authority: str) -> Seat:
    return Seat.objects.get(group=svrp(), organisation__name=authority)


def person(name: str, seat: Seat) -> Person:
    return Person.objects.create(full_name=name, organisation=seat.organisation)


def rows_of(html: str, authority: str) -> list[str]:
    """The text of each table row of a page that starts with the authority's name."""
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    ]
    return [row for row in rows if row.startswith(authority)]


def test_an_officer_sent_for_a_vacant_seat_counts_for_its_authority(reference, vru_staff):
    """Seen: 14 of the 22 authorities had no named person, so nobody from them could be marked present."""
    with time_machine.travel(DAY_AFTER, tick=False):
        meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp(), date=MEETING_DAY)
        fareham = meeting.attendance.get(seat=seat_of("Fareham Borough Council"))
        assert fareham.person is None  # the seat is on the register, vacant
        with pytest.raises(ValidationError, match="Nobody held this seat"):
            services.attendance_record(acting_user=vru_staff, attendance=fareham, status="present")
        services.attendance_record(
            acting_user=vru_staff, attendance=fareham, status="deputy", deputy_name="Fay Officer"
        )
        assert svrp_attendance([Q3])[Q3].value == 1


def test_an_officer_recorded_as_a_guest_for_fareham_counts_for_fareham(reference, vru_staff, client_for):
    """Seen: a Fareham officer recorded as a guest did not count for Fareham."""
    fareham = Organisation.objects.get(name="Fareham Borough Council")
    with time_machine.travel(DAY_AFTER, tick=False):
        meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp(), date=MEETING_DAY)
        # A guest for no authority credits none.
        services.attendance_add_guest(acting_user=vru_staff, meeting=meeting, guest_name="A Visitor")
        assert Q3 not in svrp_attendance([Q3])
        response = client_for(vru_staff).post(
            f"/meetings/{meeting.pk}/attendance/guests/",
            {"guest_name": "Fay Officer", "guest_organisation": "", "authority": fareham.pk},
        )
        assert response.status_code == 302
        guest = Attendance.objects.get(guest_name="Fay Officer")
        assert guest.organisation == fareham and guest.guest_organisation == "Fareham Borough Council"
        assert svrp_attendance([Q3])[Q3].value == 1


def test_filling_a_seat_shows_it_once_in_the_register_and_once_in_the_published_membership(
    reference, administrator, vru_staff, client_for, client
):
    """Seen: adding a person to the Fareham seat left "Vacant seat" beside them, and the published
    membership listed the Fareham seat twice."""
    seat = seat_of("Fareham Borough Council")
    membership_start(
        acting_user=administrator,
        person=person("Pat Fareham", seat),
        seat=seat,
        start_date=dt.date(2025, 4, 1),
    )
    [row] = rows_of(client_for(vru_staff).get("/membership/").text, "Fareham Borough Council")
    assert "Pat Fareham" in row and "Vacant seat" not in row
    public = client.get("/published/membership/").text
    assert public.count(seat.title) == 1
    assert "Pat Fareham" not in public  # names are never published


def test_ending_a_tenure_leaves_the_seat_vacant_in_the_register_and_the_published_membership(
    reference, administrator, vru_staff, client_for, client
):
    """Seen: ending the Southampton member's membership removed Southampton's seat ("No current seat")."""
    seat = seat_of("Southampton City Council")
    tenure = membership_start(
        acting_user=administrator,
        person=person("Sue Hampton", seat),
        seat=seat,
        start_date=dt.date(2025, 4, 1),
    )
    membership_end(acting_user=administrator, membership=tenure, end_date=dt.date(2026, 1, 31))
    [row] = rows_of(client_for(vru_staff).get("/membership/").text, "Southampton City Council")
    assert "Vacant seat" in row and seat.title in row and "Sue Hampton" not in row
    public = client.get("/published/membership/").text
    assert public.count(seat.title) == 1 and "No current seat" not in public
    # Archiving the seat is a separate, deliberate act; it leaves the register then.
    seat_archive(acting_user=administrator, seat=seat)
    assert seat.title not in client.get("/published/membership/").text


def test_a_seat_someone_holds_cannot_be_archived(reference, administrator):
    seat = seat_of("Gosport Borough Council")
    membership_start(
        acting_user=administrator,
        person=person("Gil Gosport", seat),
        seat=seat,
        start_date=dt.date(2025, 4, 1),
    )
    with pytest.raises(ValidationError, match="End their tenures first"):
        seat_archive(acting_user=administrator, seat=seat)
    assert Seat.objects.get(pk=seat.pk).archived_at is None


def test_a_seat_has_one_holder_at_a_time_and_a_named_deputy_beside_them(reference, administrator):
    seat = seat_of("Havant Borough Council")
    membership_start(
        acting_user=administrator,
        person=person("Hal Havant", seat),
        seat=seat,
        start_date=dt.date(2025, 4, 1),
    )
    with pytest.raises(ValidationError, match="a seat has one holder at a time"):
        membership_start(
            acting_user=administrator,
            person=person("Second", seat),
            seat=seat,
            start_date=dt.date(2025, 6, 1),
        )
    deputy = membership_start(
        acting_user=administrator,
        person=person("Dee Deputy", seat),
        seat=seat,
        role=Membership.Role.DEPUTY,
        start_date=dt.date(2025, 6, 1),
    )
    assert deputy.seat == seat and deputy.organisation == seat.organisation and deputy.group == svrp()


def test_a_meetings_register_follows_tenures_that_change_after_it_was_scheduled(
    reference, administrator, vru_staff
):
    """Seen: the 8 December meeting's list still showed a member whose membership ended on 30 November and
    left out one who joined on 1 December."""
    seat = seat_of("Eastleigh Borough Council")
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        leaver = membership_start(
            acting_user=administrator,
            person=person("Lee Leaver", seat),
            seat=seat,
            start_date=dt.date(2025, 4, 1),
        )
        meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp(), date=MEETING_DAY)
        assert meeting.attendance.get(seat=seat).person == leaver.person
        membership_end(acting_user=administrator, membership=leaver, end_date=dt.date(2026, 11, 30))
        assert meeting.attendance.get(seat=seat).person is None  # vacant on the 8th
        joiner = person("Jo Joiner", seat)
        membership_start(acting_user=administrator, person=joiner, seat=seat, start_date=dt.date(2026, 12, 1))
        assert meeting.attendance.get(seat=seat).person == joiner
        assert not meeting.attendance.filter(person=leaver.person).exists()
        assert meeting.attendance.filter(seat=seat).count() == 1


def test_an_admin_edit_of_a_tenure_moves_the_register_of_meetings_to_come(
    reference, administrator, vru_staff, client_for
):
    seat = seat_of("Rushmoor Borough Council")
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        tenure = membership_start(
            acting_user=administrator,
            person=person("Ray Rush", seat),
            seat=seat,
            start_date=dt.date(2025, 4, 1),
        )
        meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp(), date=MEETING_DAY)
        response = client_for(administrator).post(
            f"/admin/governance/membership/{tenure.pk}/change/",
            {
                "person": tenure.person_id,
                "seat": seat.pk,
                "role": "member",
                "start_date": "01/04/2025",
                "end_date": "30/11/2026",
            },
        )
        assert response.status_code == 302
        assert meeting.attendance.get(seat=seat).person is None


def test_a_recorded_row_is_a_fact_a_later_tenure_change_does_not_rewrite(reference, administrator, vru_staff):
    seat = seat_of("Test Valley Borough Council")
    with time_machine.travel(dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC), tick=False):
        tenure = membership_start(
            acting_user=administrator,
            person=person("Val Valley", seat),
            seat=seat,
            start_date=dt.date(2025, 4, 1),
        )
        meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp(), date=MEETING_DAY)
        row = meeting.attendance.get(seat=seat)
        services.attendance_record(acting_user=vru_staff, attendance=row, status="present")
        membership_end(acting_user=administrator, membership=tenure, end_date=dt.date(2026, 11, 30))
        row.refresh_from_db()
        assert (row.person, row.status) == (tenure.person, "present")


def test_rates_belong_to_authorities_never_to_a_vacant_seat(reference, administrator, vru_staff, client_for):
    """Seen: "VRU Director – Vacant – 100% (4 of 4)"."""
    with time_machine.travel(DAY_AFTER, tick=False):
        meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp(), date=MEETING_DAY)
        services.meeting_update(acting_user=vru_staff, meeting=meeting, status="held")
        yjs = Seat.objects.filter(organisation__name="Youth Justice Service").order_by("order", "pk")
        row = meeting.attendance.get(seat=yjs[1])
        services.attendance_record(
            acting_user=vru_staff, attendance=row, status="deputy", deputy_name="Officer"
        )
        rows = rows_of(client_for(vru_staff).get("/membership/").text, "Youth Justice Service")
    assert len(rows) == yjs.count() == 4  # every seat once, all vacant
    assert all("Vacant seat" in r for r in rows)
    # The authority's rate is shown once, not against each vacant seat.
    assert sum("100% (1 of 1 meeting)" in r for r in rows) == 1


@pytest.fixture
def held_seat(reference, administrator):
    seat = seat_of("New Forest District Council")
    tenure = membership_start(
        acting_user=administrator,
        person=person("Nia Forest", seat),
        seat=seat,
        start_date=dt.date(2025, 4, 1),
    )
    return seat, tenure


def test_ending_a_tenure_says_what_will_happen_and_asks_first(
    held_seat, administrator, vru_staff, client_for
):
    seat, tenure = held_seat
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp(), date=MEETING_DAY)
        client = client_for(administrator)
        organisation_page = client.get(seat.organisation.get_absolute_url()).text
        url = f"/membership/tenures/{tenure.pk}/end/"
        assert url in organisation_page
        assert "Last day in the seat" in client.get(url).text
        check = client.post(url, {**date_input("end_date", "30/11/2026")}).text
        assert "Check before ending the tenure" in check
        assert "vacant from 1 December 2026" in check and str(meeting) in check
        assert Membership.objects.get(pk=tenure.pk).end_date is None  # nothing ended by asking
        done = client.post(url, {**date_input("end_date", "30/11/2026"), "confirmed": "on"})
        assert done.status_code == 302 and done["Location"] == seat.organisation.get_absolute_url()
    assert Membership.objects.get(pk=tenure.pk).end_date == dt.date(2026, 11, 30)
    assert meeting.attendance.get(seat=seat).person is None


def test_an_end_before_the_start_is_a_message_on_the_form_not_a_question(
    held_seat, administrator, client_for
):
    _seat, tenure = held_seat
    response = client_for(administrator).post(
        f"/membership/tenures/{tenure.pk}/end/", {**date_input("end_date", "01/01/2025")}
    )
    assert "The end date must be on or after the start date." in response.text
    assert "Check before ending the tenure" not in response.text
    assert Membership.objects.get(pk=tenure.pk).end_date is None


@pytest.mark.parametrize("role", ["vru_staff", "board_member", "subgroup_chair", "data_provider"])
def test_only_administrators_end_tenures(held_seat, client_for, request, role):
    _seat, tenure = held_seat
    client = client_for(request.getfixturevalue(role))
    url = f"/membership/tenures/{tenure.pk}/end/"
    assert client.get(url).status_code == 403
    assert client.post(url, {**date_input("end_date", "30/11/2026"), "confirmed": "on"}).status_code == 403
    assert Membership.objects.get(pk=tenure.pk).end_date is None
    assert url not in client.get(tenure.organisation.get_absolute_url()).text
