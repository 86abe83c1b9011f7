"""The attendance register's rows are rendered in Python (``governance.rows.attendance_rows``, issue 19):
the same HTML, cell for cell, as the template loop they replace, for every kind of row, named and public;
and reading the register costs the same queries however many rows it has."""

# ruff: noqa: E501 - the template loop is quoted as it was, a line a row.
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.template import Context, Template

from governance import rows
from governance.meeting_selectors import _REGISTER, attendance_rows, meeting_attendance
from governance.models import Attendance
from governance.rows import attendance_rows_from

from .factories import (
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

# The loop of governance/partials/attendance_table.html before its rows moved to Python.
TEMPLATE_ROWS = Template(
    """{% load i18n %}{% for row in attendance %}
    <tr class="govuk-table__row">
      {% if not public %}<td class="govuk-table__cell">{% if row.person %}{{ row.person.full_name }}{% elif row.seat %}{% translate "Vacant seat" %}{% else %}{{ row.guest_name }}{% endif %}</td>{% endif %}
      <td class="govuk-table__cell">{{ row.organisation.name|default:row.guest_organisation }}</td>
      <td class="govuk-table__cell">{% if row.seat %}{{ row.seat.title }}{% elif row.membership %}{{ row.membership.seat }}{% elif row.status == "guest" %}{% translate "Guest" %}{% endif %}</td>
      <td class="govuk-table__cell">{{ row.get_status_display }}{% if row.status == "deputy" %}{% if public %}{% else %}: {{ row.deputy.full_name|default:row.deputy_name }}{% endif %}{% endif %}</td>
    </tr>
  {% endfor %}"""
)


def _squash(html: str) -> str:
    """Whitespace between tags aside."""
    return re.sub(r">\s+<", "><", html).strip()


def _register(meeting: Any, n: int = 0) -> None:
    """Every kind of row: held seats (present, apologies, a deputy named or on the register), a vacant
    seat, a guest, a row recorded before seats were records (its tenure's seat) and ``n`` more."""
    group = meeting.group
    org = OrganisationFactory(name="Portsmouth <City> & Council")
    for i, status in enumerate(["present", "apologies", "deputy", "deputy", "expected"] + ["present"] * n):
        person = PersonFactory(full_name=f"Member {i} <b>", organisation=org)
        seat = SeatFactory(group=group, organisation=org, title=f"Seat {i} & co, {meeting.date}")
        AttendanceFactory(
            meeting=meeting,
            person=person,
            seat=seat,
            status=status,
            deputy=PersonFactory(full_name="Dee Puty", organisation=org) if i == 2 else None,
            deputy_name="Named <deputy>" if i == 3 else "",
        )
    AttendanceFactory(meeting=meeting, person=None, seat=SeatFactory(group=group), organisation=org)
    AttendanceFactory(
        meeting=meeting,
        person=None,
        organisation=None,
        status=Attendance.Status.GUEST,
        guest_name="Gus <Guest>",
        guest_organisation="Charity & Co",
    )
    legacy = PersonFactory(full_name="Len Legacy", organisation=org)
    tenure = MembershipFactory(person=legacy, group=group)
    AttendanceFactory(meeting=meeting, person=legacy, membership=tenure, seat=None, status="present")


@pytest.mark.parametrize("public", [False, True])
def test_the_rows_are_the_templates_own(svrp: Any, public: bool) -> None:
    meeting: Any = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    _register(meeting)
    register = attendance_rows(meeting)
    assert len(register) == 8
    expected = TEMPLATE_ROWS.render(Context({"attendance": register, "public": public}))
    got = rows.attendance_rows(register, public=public)
    assert _squash(got) == _squash(expected)
    assert "Portsmouth &lt;City&gt; &amp; Council" in got
    assert ("Gus &lt;Guest&gt;" in got) is not public
    assert ("Named &lt;deputy&gt;" in got) is not public
    assert ("Dee Puty" in got) is not public


def test_reading_the_register_costs_the_same_queries_at_any_size(
    svrp: Any, django_assert_num_queries: Any
) -> None:
    small: Any = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    larger: Any = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 10))
    _register(small)
    _register(larger, n=10)
    # The register, and the one tenure recorded before seats (its membership and seat).
    for meeting in (small, larger):
        with django_assert_num_queries(3):
            register = attendance_rows(meeting)
        with django_assert_num_queries(0):
            rows.attendance_rows(register)


@pytest.mark.parametrize("public", [False, True])
def test_the_register_read_as_rows_renders_as_its_records_do(svrp: Any, public: bool) -> None:
    """The meeting page reads its register as rows (``meeting_selectors.meeting_attendance``, a compiled read), not six records a
    row: the same table, cell for cell, the tenure's seat of a row recorded before seats included, and
    the same count of authorities represented."""
    meeting: Any = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    _register(meeting)
    records = attendance_rows(meeting)
    light = meeting_attendance(meeting)["attendance"]
    assert _squash(rows.attendance_rows(light, public=public)) == _squash(
        rows.attendance_rows(records, public=public)
    )
    legacy: Any = next(r for r in records if r.membership_id and not r.seat_id)
    assert "Len Legacy" in rows.attendance_rows(light)
    assert str(legacy.membership.seat) in rows.attendance_rows(light)
    assert [r.represents_authority for r in light] == [r.represents_authority for r in records]


def test_the_register_read_as_rows_costs_the_same_queries_at_any_size(
    svrp: Any, django_assert_num_queries: Any
) -> None:
    small: Any = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    larger: Any = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 10))
    _register(small)
    _register(larger, n=10)
    # The register, and the tenure's seat of the one row recorded before seats were records.
    for meeting in (small, larger):
        with django_assert_num_queries(2):
            attendance_rows_from(_REGISTER.rows(meeting=meeting.pk))
