"""``Representation`` (was an authority represented at a meeting) and ``RepresentationTally`` (each
authority's attendance rate) are kept by the database from the registers' rows and the meetings'
status, whatever writes them: Hypothesis drives random sequences of creates, saves, queryset updates,
bulk creates, deletions of rows and of meetings, meetings held and no longer held, and after each
sequence the tables must be exactly the fold of the rows made here, and the attendance rates what a
plain reading of the rows says.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance import representation
from governance.models import Attendance, Meeting, Representation, RepresentationTally
from governance.register_selectors import attendance_rates
from tests.governance.factories import MeetingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

STATUSES = [choice for choice, _label in Attendance.Status.choices if choice != Attendance.Status.GUEST]
MEETINGS, AUTHORITIES = 3, 3

index = st.integers(min_value=0, max_value=8)
meeting_n = st.integers(min_value=0, max_value=MEETINGS - 1)
authority_n = st.integers(min_value=-1, max_value=AUTHORITIES - 1)  # -1: a row for no authority
status = st.sampled_from(STATUSES)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), meeting_n, authority_n, status),
        st.tuples(st.just("bulk"), meeting_n, authority_n, status),
        st.tuples(st.just("save"), index, status),
        st.tuples(st.just("update"), meeting_n, status),
        st.tuples(st.just("move"), index, authority_n),
        st.tuples(st.just("delete"), index),
        st.tuples(st.just("drop_meeting"), meeting_n),
        st.tuples(st.just("hold"), meeting_n),
        st.tuples(st.just("unhold"), meeting_n),
        st.tuples(st.just("save_meeting"), meeting_n),
    ),
    max_size=20,
)


def folded() -> set[tuple[int, int, bool]]:
    """Each meeting and authority with rows, and whether one of them represented it: made here."""
    seen: dict[tuple[int, int], bool] = {}
    for meeting_id, organisation_id, row_status in Attendance.objects.values_list(
        "meeting_id", "organisation_id", "status"
    ):
        if organisation_id is None:
            continue
        key = (meeting_id, organisation_id)
        seen[key] = seen.get(key, False) or row_status in Attendance.REPRESENTING
    return {(m, o, r) for (m, o), r in seen.items()}


def kept() -> set[tuple[int, int, bool]]:
    return set(Representation.objects.values_list("meeting_id", "organisation_id", "represented"))


def plain_rates() -> dict[int, tuple[int, int]]:
    held = set(Meeting.objects.filter(status=Meeting.Status.HELD).values_list("pk", flat=True))
    rates: dict[int, list[int]] = {}
    for meeting_id, organisation_id, represented in folded():
        if meeting_id in held:
            rate = rates.setdefault(organisation_id, [0, 0])
            rate[0] += represented
            rate[1] += 1
    return {pk: (r[0], r[1]) for pk, r in rates.items()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_representation_follows_every_write_of_the_registers(steps):
    Attendance.objects.all().delete()
    Meeting.objects.all().delete()
    meetings = [MeetingFactory(date=dt.date(2026, 1 + n, 10)) for n in range(MEETINGS)]
    authorities = [OrganisationFactory() for _ in range(AUTHORITIES)]

    def authority(n: int):
        return None if n < 0 else authorities[n]

    def row(n: int) -> Attendance | None:
        rows = list(Attendance.objects.order_by("pk"))
        return rows[n % len(rows)] if rows else None

    for step in steps:
        kind, *args = step
        if kind == "create":
            Attendance.objects.create(
                meeting=meetings[args[0]], organisation=authority(args[1]), status=args[2], note="created"
            )
        elif kind == "bulk":
            Attendance.objects.bulk_create(
                [
                    Attendance(meeting=meetings[args[0]], organisation=authority(args[1]), status=args[2]),
                    Attendance(meeting=meetings[args[0]], organisation=authority(args[1]), status="absent"),
                ]
            )
        elif kind in ("save", "move", "delete") and (found := row(args[0])) is not None:
            if kind == "save":
                found.status = args[1]
                found.save()
            elif kind == "move":
                found.organisation = authority(args[1])
                found.save(update_fields=["organisation"])
            else:
                found.delete()
        elif kind == "update":
            Attendance.objects.filter(meeting=meetings[args[0]]).update(status=args[1])
        elif kind == "drop_meeting":
            # Its rows go with it (deleted by Django, one statement); another meeting takes its place.
            meetings[args[0]].delete()
            meetings[args[0]] = MeetingFactory(date=dt.date(2026, 6 + args[0], 10))
        elif kind == "hold":
            Meeting.objects.filter(pk=meetings[args[0]].pk).update(status=Meeting.Status.HELD)
        elif kind == "unhold":
            Meeting.objects.filter(pk=meetings[args[0]].pk).update(status=Meeting.Status.SCHEDULED)
        elif kind == "save_meeting":
            # A save that leaves the status as it was moves no tally.
            meeting = Meeting.objects.get(pk=meetings[args[0]].pk)
            meeting.title = "Saved again"
            meeting.save()

    assert kept() == folded()
    found = {pk: (rate.represented, rate.meetings) for pk, rate in attendance_rates().items()}
    assert found == plain_rates()
    # No authority's tally counts a meeting it has no rows at, nor a negative number.
    assert not RepresentationTally.objects.filter(meetings__lt=0).exists()
    assert not RepresentationTally.objects.filter(represented__lt=0).exists()


def test_migrate_rebuilds_the_table_from_the_rows():
    """Rows written while the table was wrong (here: emptied behind the triggers' back) are folded
    again when the triggers are made again, as every migrate does."""
    meeting = MeetingFactory(status=Meeting.Status.HELD)
    authority = OrganisationFactory()
    Attendance.objects.create(meeting=meeting, organisation=authority, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=meeting, organisation=authority, status=Attendance.Status.ABSENT)
    Representation.objects.all().delete()
    RepresentationTally.objects.all().delete()
    assert attendance_rates() == {}

    assert representation.install() is True

    assert kept() == {(meeting.pk, authority.pk, True)}
    assert str(attendance_rates()[authority.pk]).startswith("100%")
