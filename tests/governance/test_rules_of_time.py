"""The rules of time hold in the services: a meeting three months ahead cannot be held, minuted,
published or counted (seen: the 9 March 2027 meeting was 'Held' on 3 December 2026 and counted
towards 2.1.1.a for 2026/27 Q4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from governance.models import Attendance, Meeting, Minutes
from governance.quarters import FinancialQuarter
from governance.services import meetings as services
from performance.derived import svrp_attendance
from tests.governance.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
AHEAD = dt.date(2027, 3, 9)


@pytest.fixture
def future_meeting(svrp, vru_staff):
    with time_machine.travel(TODAY, tick=False):
        meeting = services.meeting_schedule(acting_user=vru_staff, group=svrp.group, date=AHEAD)
        AgendaItemFactory(meeting=meeting, order=1)
        yield meeting


def test_a_future_meeting_cannot_be_marked_held(future_meeting, vru_staff):
    with pytest.raises(ValidationError, match="only once its date has come"):
        services.meeting_update(acting_user=vru_staff, meeting=future_meeting, status=Meeting.Status.HELD)
    assert Meeting.objects.get(pk=future_meeting.pk).status == Meeting.Status.SCHEDULED


def test_a_future_meetings_minutes_cannot_be_approved_or_published(future_meeting, vru_staff):
    item = future_meeting.agenda_items.get()
    minutes = services.minutes_save(
        acting_user=vru_staff, meeting=future_meeting, summary="", entries={item.pk: "x"}
    )
    with pytest.raises(ValidationError, match="only after the meeting has taken place"):
        services.minutes_approve(
            acting_user=vru_staff, minutes=minutes, approved_on=AHEAD, approved_at_meeting=None
        )
    # Even minutes marked approved some other way are not published before the meeting.
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.APPROVED, approved_on=AHEAD)
    with pytest.raises(ValidationError, match="meeting that has taken place"):
        services.minutes_publish(acting_user=vru_staff, minutes=minutes)
    future_meeting.refresh_from_db()
    assert future_meeting.status == Meeting.Status.SCHEDULED
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.APPROVED


def test_minutes_are_never_approved_on_a_date_to_come(svrp, vru_staff):
    with time_machine.travel(TODAY, tick=False):
        meeting = services.meeting_schedule(
            acting_user=vru_staff, group=svrp.group, date=dt.date(2026, 12, 1)
        )
        minutes = services.minutes_save(
            acting_user=vru_staff, meeting=meeting, summary="Quorate.", entries={}
        )
        with pytest.raises(ValidationError, match="cannot be in the future"):
            services.minutes_approve(
                acting_user=vru_staff,
                minutes=minutes,
                approved_on=dt.date(2026, 12, 4),
                approved_at_meeting=None,
            )


def test_attendance_recorded_ahead_of_a_meeting_does_not_count_towards_2_1_1_a(future_meeting, vru_staff):
    for row in future_meeting.attendance.all():
        services.attendance_record(acting_user=vru_staff, attendance=row, status=Attendance.Status.PRESENT)
    q4 = FinancialQuarter(2026, 4)
    with time_machine.travel(TODAY, tick=False):
        assert q4 not in svrp_attendance([q4])
    with time_machine.travel(dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        assert svrp_attendance([q4])[q4].value > 0
