"""Hypothesis drives the services with random sequences of joins, leaves, deputies, meetings, attendance,
guests and holdings over random dates, and checks what the portal says against the rows themselves:

- every current seat appears once in the register and in the published membership;
- a meeting not yet held has one row per seat in force on its date, and an unrecorded row names the
  person holding the seat that day (worked out here from the tenures, not by the service);
- 2.1.1.a equals a count made here from the attendance rows, by the Terms of Reference's rule;
- no meeting whose date has not come is held.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance import register_selectors
from governance.models import Attendance, Meeting, Membership, Person, Seat
from governance.quarters import FinancialQuarter
from governance.services import meetings as services
from governance.services.registers import membership_end, membership_start
from performance.derived import svrp_attendance
from tests.governance.factories import OrganisationFactory, PartnershipGroupFactory, SeatFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 1)
FIRST = dt.date(2026, 4, 1)
SEATS = 5
days = st.integers(min_value=0, max_value=420).map(lambda n: FIRST + dt.timedelta(days=n))
seat_index = st.integers(min_value=0, max_value=SEATS - 1)
pick = st.integers(min_value=0, max_value=60)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("join"), seat_index, days),
        st.tuples(st.just("deputy"), seat_index, days),
        st.tuples(st.just("leave"), seat_index, days),
        st.tuples(st.just("meeting"), days),
        st.tuples(
            st.just("attend"), pick, pick, st.sampled_from(["present", "deputy", "apologies", "absent"])
        ),
        st.tuples(st.just("guest"), pick, st.integers(min_value=0, max_value=3)),
        st.tuples(st.just("hold"), pick),
    ),
    max_size=30,
)


@pytest.fixture
def partnership(db):
    group = PartnershipGroupFactory(short_name="SVRP")
    authorities = [OrganisationFactory(duty_status=s) for s in ("specified", "specified", "relevant", "none")]
    # Two seats for the first authority, one each for the others.
    seats = [SeatFactory(group=group, organisation=a) for a in (authorities[0], *authorities)]
    return group, authorities, seats


def holder_on(seat: Seat, day: dt.date) -> int | None:
    """The seat's holder on a day, from the tenures as stored (deputies stand in; they do not hold)."""
    found = [
        m
        for m in Membership.objects.filter(seat=seat).exclude(role="deputy").order_by("start_date", "pk")
        if m.start_date <= day and (m.end_date is None or m.end_date >= day)
    ]
    return found[0].person_id if found else None


def run(step: tuple, group, authorities, seats, staff) -> None:  # type: ignore[no-untyped-def]
    kind = step[0]
    meetings = list(Meeting.objects.order_by("pk"))
    with contextlib.suppress(ValidationError):
        if kind in ("join", "deputy"):
            seat = seats[step[1]]
            person = Person.objects.create(
                full_name=f"P{Person.objects.count()}", organisation=seat.organisation
            )
            membership_start(
                acting_user=staff,
                person=person,
                seat=seat,
                start_date=step[2],
                role="member" if kind == "join" else kind,
            )
        elif kind == "leave":
            tenure = (
                Membership.objects.filter(seat=seats[step[1]], end_date__isnull=True).order_by("pk").first()
            )
            if tenure is not None:
                membership_end(acting_user=staff, membership=tenure, end_date=step[2])
        elif kind == "meeting":
            services.meeting_schedule(acting_user=staff, group=group, date=step[1])
        elif meetings and kind == "attend":
            rows = list(meetings[step[1] % len(meetings)].attendance.order_by("pk"))
            if rows:
                row = rows[step[2] % len(rows)]
                if row.status != "guest":
                    services.attendance_record(
                        acting_user=staff, attendance=row, status=step[3], deputy_name="An Officer"
                    )
        elif meetings and kind == "guest":
            services.attendance_add_guest(
                acting_user=staff,
                meeting=meetings[step[1] % len(meetings)],
                guest_name="A Guest",
                authority=authorities[step[2]] if step[2] < 3 else None,
            )
        elif meetings and kind == "hold":
            services.meeting_update(
                acting_user=staff, meeting=meetings[step[1] % len(meetings)], status=Meeting.Status.HELD
            )


def check(group, authorities, seats, client) -> None:  # type: ignore[no-untyped-def]
    # Every current seat once, in the register and in the published membership.
    register = register_selectors.register(day=TODAY, with_attendance=False)
    listed = [row.seat.pk for g in register for entry in g.entries for row in entry.seats]
    assert sorted(listed) == sorted(s.pk for s in seats)
    public = client.get("/published/membership/").text
    for seat in seats:
        assert public.count(f"<li>{seat.title}") == 1, seat.title
    # A meeting not yet held: one row per seat, an unrecorded row naming the holder on the day.
    for meeting in Meeting.objects.filter(status=Meeting.Status.SCHEDULED):
        rows = list(meeting.attendance.filter(seat__isnull=False).select_related("seat"))
        assert sorted(r.seat.pk for r in rows if r.seat) == sorted(s.pk for s in seats)
        for row in rows:
            if row.status == Attendance.Status.EXPECTED and row.seat:
                assert row.person_id == holder_on(row.seat, meeting.date)
    # No meeting is held before its date.
    assert not Meeting.objects.filter(status=Meeting.Status.HELD, date__gt=TODAY).exists()
    # 2.1.1.a: distinct specified and relevant authorities someone attended for, at meetings whose date
    # has come and that were not cancelled, in the quarter.
    duty = {a.pk for a in authorities if a.duty_status in ("specified", "relevant")}
    expected: dict[FinancialQuarter, set[int]] = defaultdict(set)
    for row in Attendance.objects.select_related("meeting", "organisation"):
        attended = row.status in ("present", "deputy") or (row.status == "guest" and row.organisation_id)
        if attended and row.organisation and row.organisation.pk in duty and row.meeting.date <= TODAY:
            expected[FinancialQuarter.of(row.meeting.date)].add(row.organisation.pk)
    quarters = sorted({FinancialQuarter.of(m.date) for m in Meeting.objects.all()})
    counted = svrp_attendance(quarters)
    assert {q: int(v.value) for q, v in counted.items()} == {q: len(ids) for q, ids in expected.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_the_register_and_2_1_1_a_stay_true_whatever_the_sequence(partnership, vru_staff, client, sequence):
    group, authorities, seats = partnership
    moment = dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False), transaction.atomic():
        for step in sequence:
            run(step, group, authorities, seats, vru_staff)
        check(group, authorities, seats, client)
        transaction.set_rollback(True)  # each example starts from the same partnership
