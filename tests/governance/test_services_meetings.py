from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from governance.models import Attendance, Decision, Meeting, Minutes
from governance.services import meetings as services

from .factories import AgendaItemFactory, MeetingFactory, MembershipFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db


def test_scheduling_a_meeting_builds_the_register_from_the_seats_and_tenures_on_its_date(svrp, vru_staff):
    leaver = PersonFactory(full_name="Left Early")
    left = MembershipFactory(person=leaver, group=svrp.group, end_date=dt.date(2026, 1, 1))
    vacant = SeatFactory(group=svrp.group, organisation=svrp.fire, title="Chief Fire Officer")

    meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp.group, date=dt.date(2026, 6, 9))

    rows = {row.seat.title: row for row in meeting.attendance.select_related("seat", "person")}
    assert len(rows) == meeting.attendance.count() == 4  # every seat once
    names = {row.person.full_name for row in rows.values() if row.person}
    assert names == {"Bea Member", "Oliver Other"}
    # The leaver's seat and the seat nobody ever held are on the register, vacant, with their authority.
    assert rows[left.seat.title].person is None and rows["Chief Fire Officer"].person is None
    assert rows["Chief Fire Officer"].organisation == svrp.fire == vacant.organisation
    assert meeting.created_by == vru_staff
    assert set(meeting.attendance.values_list("status", flat=True)) == {Attendance.Status.EXPECTED}


def test_a_meeting_that_ends_before_it_starts_is_refused_and_not_saved(svrp, vru_staff):
    with pytest.raises(ValidationError, match="end time must be after the start time"):
        services.meeting_schedule(
            acting_user=vru_staff,
            group=svrp.group,
            date=dt.date(2026, 6, 9),
            start_time=dt.time(14, 0),
            end_time=dt.time(13, 0),
        )
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_past_can_be_recorded(svrp, vru_staff):
    meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp.group, date=dt.date(2025, 12, 9))
    assert meeting.quarter.label == "2025/26 Q3"


def test_the_next_four_svrp_meetings_fall_on_the_same_weekday_and_week_a_quarter_apart():
    # Tuesday 9 June 2026 is the second Tuesday of June.
    proposals = services.propose_quarterly_dates(dt.date(2026, 6, 9))
    assert proposals == [dt.date(2026, 9, 8), dt.date(2026, 12, 8), dt.date(2027, 3, 9), dt.date(2027, 6, 8)]
    assert {d.weekday() for d in proposals} == {1}


def test_a_fifth_weekday_the_month_lacks_becomes_its_last_such_weekday():
    # Thursday 29 May 2025 is the fifth Thursday; August 2025 has a fifth too, November does not.
    proposals = services.propose_quarterly_dates(dt.date(2025, 5, 29), count=2)
    assert proposals == [dt.date(2025, 8, 28), dt.date(2025, 11, 27)]


def test_a_deputy_must_be_named(svrp, vru_staff):
    meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp.group, date=dt.date(2026, 6, 9))
    row = meeting.attendance.get(person=svrp.bea)
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(acting_user=vru_staff, attendance=row, status="deputy")
    assert "deputy_name" in caught.value.error_dict
    row.refresh_from_db()
    assert row.status == Attendance.Status.EXPECTED

    services.attendance_record(acting_user=vru_staff, attendance=row, status="deputy", deputy_name="Dee Puty")
    row.refresh_from_db()
    assert (row.status, row.deputy_name) == ("deputy", "Dee Puty")
    assert row.history.count() == 2


def test_minutes_follow_the_agenda_then_are_approved_and_published(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 3, 10))
    later = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    first, second = AgendaItemFactory(meeting=meeting, order=1), AgendaItemFactory(meeting=meeting, order=2)

    minutes = services.minutes_save(
        acting_user=vru_staff,
        meeting=meeting,
        summary="Quorate.",
        entries={first.pk: "Noted.", second.pk: ""},
    )
    assert list(minutes.entries.values_list("agenda_item", "text")) == [(first.pk, "Noted.")]

    with pytest.raises(ValidationError, match="before the meeting took place"):
        services.minutes_approve(
            acting_user=vru_staff, minutes=minutes, approved_on=dt.date(2026, 3, 1), approved_at_meeting=None
        )
    with pytest.raises(ValidationError, match="Only approved minutes"):
        services.minutes_publish(acting_user=vru_staff, minutes=minutes)

    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.minutes_approve(
            acting_user=vru_staff, minutes=minutes, approved_on=later.date, approved_at_meeting=later
        )
    with time_machine.travel(dt.datetime(2026, 6, 9, 13, 0, tzinfo=dt.UTC), tick=False):
        services.minutes_approve(
            acting_user=vru_staff, minutes=minutes, approved_on=later.date, approved_at_meeting=later
        )
        published = services.minutes_publish(acting_user=vru_staff, minutes=minutes)
    assert published.status == Minutes.Status.PUBLISHED
    assert published.published_at is not None
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.minutes_save(acting_user=vru_staff, meeting=meeting, summary="Rewritten.", entries={})
    assert published.history.count() == 3


def test_decisions_get_their_own_sequential_references(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 3, 10))
    one = services.decision_add(acting_user=vru_staff, meeting=meeting, text="Agreed the strategy.")
    two = services.decision_add(acting_user=vru_staff, meeting=meeting, text="Agreed the budget.")
    assert [one.reference, two.reference] == ["SVRP-D-2026-01", "SVRP-D-2026-02"]
    assert Decision.history.count() == 2


def test_a_sub_group_update_can_be_revised_but_stays_one_per_meeting(svrp, subgroup_chair):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    services.subgroup_update_submit(
        acting_user=subgroup_chair, group=svrp.dawg, meeting=meeting, summary="First.", rag="green"
    )
    update = services.subgroup_update_submit(
        acting_user=subgroup_chair, group=svrp.dawg, meeting=meeting, summary="Second.", rag="amber"
    )
    assert meeting.subgroup_updates.count() == 1
    assert (update.summary, update.rag, update.submitted_by) == ("Second.", "amber", subgroup_chair)


def test_the_partnership_itself_does_not_submit_an_update(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    with pytest.raises(ValidationError, match="Only sub-groups"):
        services.subgroup_update_submit(
            acting_user=vru_staff, group=svrp.group, meeting=meeting, summary="x", rag="green"
        )
