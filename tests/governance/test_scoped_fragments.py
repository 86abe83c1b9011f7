"""Cached fragments key on the scopes of content they read (core.content_version, core.fragments,
docs/adr/0004): one attendance row re-renders the meeting's record and the attendance rates, not the
membership register, the Crest tracker, the action log or the dashboard; and every fragment names
every scope it reads, so none is ever stale."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core import content_version
from demo import benchmark
from governance import reference
from governance.models import Action, Attendance, Meeting, Person
from tests.fragment_spy import RenderSpy

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_data(db: Any, time_machine: Any) -> Client:
    time_machine.move_to(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC), tick=False)
    reference.load_all()
    benchmark.generate_all(scale=0.1, password="bench-password-for-tests", today=dt.date(2026, 11, 30))
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench.board"))
    return client


def _with_pack(pages: list[str]) -> list[str]:
    """The key pages and the pack of the key meeting (the page the board reloads through a meeting)."""
    meeting = next(p for p in pages if p.startswith("/meetings/"))
    return [*pages, f"{meeting}pack/"]


def _visit(client: Client, pages: list[str]) -> None:
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"


def test_one_attendance_row_re_renders_the_meeting_record_and_nothing_it_does_not_touch(
    bench_data: Client, spy: RenderSpy
) -> None:
    pages = _with_pack(benchmark.key_pages())
    _visit(bench_data, pages)
    first = Counter(spy.rendered)
    assert {
        "membership-register",
        "crest-tracker",
        "performance-dashboard",
        "meeting-record",
        "meeting-pack",
    } <= set(first)

    meeting = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-date", "-pk").first()
    assert meeting is not None
    newcomer = Person.objects.exclude(attendance__meeting=meeting).first()
    assert newcomer is not None
    Attendance.objects.create(meeting=meeting, person=newcomer, status=Attendance.Status.PRESENT)
    spy.rendered.clear()
    _visit(bench_data, pages)

    again = spy.rendered
    for name in (
        "membership-register",
        "crest-tracker",
        "performance-dashboard",
        "measure-detail",
        "action-log",
        "meeting-pack",  # the pack reads no attendance: reloaded through a meeting, it stays cached
    ):
        assert again[name] == 0, f"{name} was rendered again after one attendance row"
    assert again["meeting-record"] == 0, "the agenda, minutes and decisions read no attendance"
    assert again["meeting-actions"] == 0
    assert again["meeting-attendance"] == 1
    assert again["attendance-rates"] == 1  # the register's rates, two queries, filled into the kept register
    # And the register shows the change: the newcomer's organisation's rate is read afresh.
    assert bench_data.get("/membership/").status_code == 200


def test_a_decision_or_an_action_recorded_during_the_meeting_re_renders_its_own_part_of_the_record(
    bench_data: Client, spy: RenderSpy, vru_staff: Any
) -> None:
    """While staff record the meeting row by row, the board reloads its page: each change re-renders the
    part of the record that shows it (and shows it at once), not the others."""
    from governance.services import meetings as services

    meeting = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-date", "-pk").first()
    assert meeting is not None
    path = meeting.get_absolute_url()
    staff = Client()
    staff.force_login(vru_staff)
    staff.get(path)
    spy.rendered.clear()

    decision = services.decision_add(
        acting_user=vru_staff, meeting=meeting, text="Fund a second mentoring cohort", agenda_item=None
    )
    page = staff.get(path).content.decode()
    assert decision.reference in page and "Fund a second mentoring cohort" in page
    assert (
        spy.rendered["meeting-record"],
        spy.rendered["meeting-attendance"],
        spy.rendered["meeting-actions"],
    ) == (
        1,
        0,
        0,
    )

    spy.rendered.clear()
    Action.objects.filter(meeting=meeting).order_by("pk").update(description="Seen at once on the record")
    page = staff.get(path).content.decode()
    assert "Seen at once on the record" in page
    assert (
        spy.rendered["meeting-record"],
        spy.rendered["meeting-attendance"],
        spy.rendered["meeting-actions"],
    ) == (
        0,
        0,
        1,
    )


def test_the_register_shows_a_new_attendance_rate_at_once(bench_data: Client) -> None:
    meeting = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-date", "-pk").first()
    assert meeting is not None
    before = bench_data.get("/membership/").content.decode()
    Attendance.objects.filter(meeting__status=Meeting.Status.HELD, organisation__isnull=False).update(
        status=Attendance.Status.ABSENT
    )
    after = bench_data.get("/membership/").content.decode()
    assert before != after
    assert "attendance-rate:" not in after  # every placeholder filled in
    assert "0% (0 of" in after


def test_the_pack_is_rendered_once_and_shows_a_new_action_at_once(
    bench_data: Client, spy: RenderSpy, vru_staff: Any
) -> None:
    """The pack's body is cached (a board reloads it through the meeting); a change to what it reads
    is on the next view, and re-renders only its own part: an action of the group the action log
    (a thousand rows and more), a decision the rest."""
    from governance.services import meetings as services

    pack = _with_pack(benchmark.key_pages())[-1]
    first = bench_data.get(pack).content.decode()
    assert bench_data.get(pack).status_code == 200
    assert (spy.rendered["meeting-pack"], spy.rendered["meeting-pack-actions"]) == (1, 1)
    meeting = Meeting.objects.get(pk=int(pack.split("/")[2]))
    action = Action.objects.open().filter(meeting__group=meeting.group).order_by("pk").first()
    assert action is not None and action.reference in first
    Action.objects.filter(pk=action.pk).update(description="A new description, seen at once")
    after = bench_data.get(pack).content.decode()
    assert "A new description, seen at once" in after
    assert (spy.rendered["meeting-pack"], spy.rendered["meeting-pack-actions"]) == (1, 2)

    # A decision recorded during the meeting leaves the action log cached.
    services.decision_add(acting_user=vru_staff, meeting=meeting, text="Recorded during the meeting")
    assert bench_data.get(pack).status_code == 200
    assert spy.rendered["meeting-pack-actions"] == 2


def test_every_fragment_names_every_scope_it_reads(bench_data: Client, spy: RenderSpy) -> None:
    """A fragment reading a table of a scope it does not name would be served stale after a change
    there; a table of no declared scope is in GLOBAL, which every fragment reads."""
    _visit(bench_data, [*_with_pack(benchmark.key_pages()), "/actions/?status=open_all&overdue=on"])
    scope_of = content_version.scope_of_tables()
    # A fragment reading some rows of a table keys on their row scope instead of the table's (the
    # dashboard: the verified figures). That it reads only those rows is shown by its own behaviour
    # tests (tests/performance/test_row_scopes.py).
    row_scoped: dict[str, set[str]] = {}
    for row_scope in content_version.row_scopes():
        row_scoped.setdefault(row_scope.model._meta.db_table, set()).add(row_scope.name)
    assert spy.tables, "no fragment was rendered"
    for name, tables in spy.tables.items():
        declared = spy.scopes[name]
        if declared is None:
            continue  # keyed on all the content
        read = {scope_of[t] for t in tables if t in scope_of and not row_scoped.get(t, set()) & declared}
        assert read <= declared | {content_version.GLOBAL}, (
            f"{name} reads {sorted(read - declared)} without keying on it "
            f"(tables {sorted(t for t in tables if scope_of.get(t) not in declared)})"
        )
