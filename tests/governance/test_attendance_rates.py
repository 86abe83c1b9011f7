"""Attendance rates by authority: of the held meetings an authority had rows at, at how many someone
attended for it. Counted against a plain reading of the rows, for any mix of rows (Hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.models import Attendance, Meeting
from governance.register_selectors import attendance_rates
from tests.governance.factories import MeetingFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

STATUSES = [choice for choice, _label in Attendance.Status.choices]

row = st.tuples(st.integers(0, 2), st.integers(0, 2), st.sampled_from(STATUSES))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(row, max_size=9, unique_by=lambda r: (r[0], r[1])),
    held=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_rates_count_each_held_meeting_once_per_authority(rows, held):
    Attendance.objects.all().delete()
    Meeting.objects.all().delete()
    meetings = [
        MeetingFactory(
            date=dt.date(2026, 1 + n, 10),
            status=Meeting.Status.HELD if is_held else Meeting.Status.SCHEDULED,
        )
        for n, is_held in enumerate(held)
    ]
    people = [PersonFactory(organisation=OrganisationFactory()) for _ in range(3)]
    for meeting_n, person_n, status in rows:
        person = people[person_n]
        Attendance.objects.create(
            meeting=meetings[meeting_n],
            person=None if status == Attendance.Status.GUEST else person,
            guest_name=f"Guest {person_n}" if status == Attendance.Status.GUEST else "",
            organisation=person.organisation,
            status=status,
        )
    expected: dict[int, tuple[int, int]] = {}
    for person in people:
        mine = [(m, s) for m, p, s in rows if people[p] is person and held[m]]
        at = {m for m, _s in mine}
        represented = {m for m, s in mine if s in Attendance.REPRESENTING}
        if at:
            expected[person.organisation_id] = (len(represented), len(at))
    found = {pk: (rate.represented, rate.meetings) for pk, rate in attendance_rates().items()}
    assert found == expected
