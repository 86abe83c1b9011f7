"""Reads compiled once and run with new values (``core.compiled.CompiledRows``) give exactly the rows the
queryset they were compiled from gives, for any values: Hypothesis builds actions of any status and due
date around any day, in two meetings, and the meeting page's compiled read of the actions raised must
hold what the ORM's own ``values_list`` holds, value for value (dates as dates, flags as booleans, on
SQLite as on PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.compiled import CompiledRows
from governance import meeting_selectors
from governance.models import Action, Attendance
from governance.rows import ACTION_TABLE_FIELDS, ATTENDANCE_FIELDS, ATTENDANCE_ORDER
from tests.governance.factories import (
    ActionFactory,
    AttendanceFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

STATUSES = [choice for choice, _label in Action.Status.choices]
DAY = dt.date(2026, 10, 1)


def orm_actions(meeting_id: int, today: dt.date) -> list[tuple]:
    return list(
        Action.objects.filter(meeting_id=meeting_id)
        .with_overdue(today)
        .order_by("reference")
        .values_list(*ACTION_TABLE_FIELDS)
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(
        st.tuples(st.sampled_from(STATUSES), st.integers(-5, 5), st.booleans()), min_size=0, max_size=10
    ),
    shift=st.integers(-3, 3),
)
def test_the_compiled_read_holds_what_the_orm_reads_for_any_meeting_and_day(actions, shift):
    Action.objects.all().delete()
    owner = PersonFactory()
    first, second = MeetingFactory(), MeetingFactory()
    for n, (status, days, in_first) in enumerate(actions):
        ActionFactory(
            reference=f"A-{n:02d}",
            status=status,
            due_date=DAY + dt.timedelta(days=days),
            owner=owner,
            meeting=first if in_first else second,
        )
    today = DAY + dt.timedelta(days=shift)
    for meeting in (first, second):
        compiled = meeting_selectors._ACTIONS_RAISED.rows(meeting=meeting.pk, today=today)
        assert compiled == orm_actions(meeting.pk, today)
        assert all(isinstance(row[3], dt.date) and isinstance(row[4], bool) for row in compiled)


def test_the_register_read_holds_the_orm_rows_in_the_registers_order():
    meeting, other = MeetingFactory(), MeetingFactory()
    for n, status in enumerate(["present", "apologies", "deputy", "present", "absent"]):
        organisation = OrganisationFactory(name=f"Org {4 - n}")
        AttendanceFactory(meeting=meeting, person=PersonFactory(organisation=organisation), status=status)
    AttendanceFactory(meeting=other, person=PersonFactory(), status="present")
    expected = list(
        Attendance.objects.filter(meeting=meeting).order_by(*ATTENDANCE_ORDER).values_list(*ATTENDANCE_FIELDS)
    )
    assert len(expected) == 5
    assert meeting_selectors._REGISTER.rows(meeting=meeting.pk) == expected
    assert len(meeting_selectors._REGISTER.rows(meeting=other.pk)) == 1


def test_it_is_built_once_and_each_run_is_one_query():
    built = []

    def build(meeting: int):
        built.append(meeting)
        return Action.objects.filter(meeting_id=meeting).values_list("reference", flat=False)

    reads = CompiledRows(build, meeting=int)
    meeting = MeetingFactory()
    ActionFactory(meeting=meeting, reference="A-1")
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert reads.rows(meeting=meeting.pk) == [("A-1",)]
        assert len(queries) == 1
    assert len(built) == 1  # compiled on first use, with a stand-in, never with a real value
    assert built[0] < 0


def test_a_slot_the_query_does_not_use_or_a_value_not_given_is_refused():
    unused = CompiledRows(lambda meeting: Action.objects.values_list("reference"), meeting=int)
    with pytest.raises(ValueError, match="meeting"):
        unused.rows(meeting=1)
    reads = CompiledRows(
        lambda meeting: Action.objects.filter(meeting_id=meeting).values_list("reference"), meeting=int
    )
    with pytest.raises(TypeError, match="meeting"):
        reads.rows()
    with pytest.raises(TypeError, match="only int and date"):
        CompiledRows(lambda name: Action.objects.filter(reference=name), name=str)
