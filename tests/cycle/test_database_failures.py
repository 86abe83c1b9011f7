"""The cycle's tasks when the database fails mid-task: they retry, and the retry sends nobody anything twice.

Each test first runs a task cleanly to learn what it does: which SQL statements it runs, which
reminders it records and which e-mails it sends. Then, for every statement in turn, it runs the task
again from the same starting point with that one statement raising ``OperationalError`` (raised
from the database layer by ``connection.execute_wrapper``, as a dropped connection or a restarted
server would), lets Celery's retry run with the database back, and checks the outcome is exactly the
clean run's: one reminder row per (kind, object, recipient, date), each marked sent, and one e-mail
each.

The tests use ``transactional_db`` so the tasks run in autocommit as in a worker (inside a test's
transaction a failed statement would poison the whole test, which a worker never sees).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.db import OperationalError, connection

from core.roles import Role
from governance.models import Reminder
from governance.tasks import remind_meetings
from performance.models import ReportVersion
from performance.tasks import assemble_draft_report, open_quarter, remind_figures

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = ZoneInfo("Europe/London")


@dataclass
class FailOnce:
    """Raise OperationalError at the statement numbered ``at`` (from 0; None: never); record them all."""

    at: int | None = None
    statements: list[str] = field(default_factory=list)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        index = len(self.statements)
        self.statements.append(sql)
        if index == self.at:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@dataclass(frozen=True)
class Outcome:
    reminders: list[tuple[str, str, str, dt.date, bool]]
    emails: list[tuple[str, str]]


def outcome() -> Outcome:
    rows = Reminder.objects.order_by("kind", "object_key", "recipient", "for_date")
    return Outcome(
        reminders=[(r.kind, r.object_key, r.recipient, r.for_date, r.sent_at is not None) for r in rows],
        emails=sorted((m.to[0], str(m.subject)) for m in mail.outbox),
    )


def start_again() -> None:
    Reminder.objects.all().delete()
    mail.outbox.clear()


def run_failing_at(at: int, clean: list[str], task: Any, **kwargs: Any) -> Outcome:
    """Run the task with statement ``at`` of the clean run (``clean``) failing; if it asks for a retry
    (as it must for nearly every statement), run the retry with the database answering again."""
    failing = FailOnce(at)
    with connection.execute_wrapper(failing):
        try:
            task.delay(**kwargs)
        except Retry:
            retried = True
        else:
            retried = False
    assert len(failing.statements) > at, "the failing statement was never reached"
    if retried:
        task.delay(**kwargs)
    else:
        # Only where Django itself survives the error: a model's check-constraint validation treats a
        # database error as "not checked here" (the database enforces the constraint on INSERT).
        assert 'AS "_check"' in " ".join(clean[max(0, at - 1) : at + 2]), f"no retry: {clean[at]}"
    return outcome()


def clean_run(task: Any, **kwargs: Any) -> tuple[Outcome, list[str]]:
    recorder = FailOnce()
    with connection.execute_wrapper(recorder):
        task.delay(**kwargs)
    return outcome(), recorder.statements


def test_meeting_reminders_retried_after_the_database_fails_at_any_statement_reach_everyone_once(
    partnership, make_meeting
):
    make_meeting(dt.date(2025, 6, 18))
    with time_machine.travel(dt.datetime(2025, 6, 11, 7, tzinfo=LONDON), tick=False):
        expected, statements = clean_run(remind_meetings)
        assert [to for to, _subject in expected.emails] == ["alice@police.example", "bob@council.example"]
        for at in range(len(statements)):
            start_again()
            got = run_failing_at(at, statements, remind_meetings)
            assert got == expected, f"failing at: {statements[at]}"


def test_figures_chasers_retried_after_the_database_fails_at_any_statement_reach_everyone_once(
    sources, make_user
):
    make_user(Role.VRU_STAFF, username="valerie", email="valerie@vru.example")
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, tzinfo=LONDON), tick=False) as traveller:
        open_quarter.delay()
        traveller.move_to(dt.datetime(2026, 8, 1, 6, 30, tzinfo=LONDON))  # the day after the deadline
        start_again()
        expected, statements = clean_run(remind_figures)
        # Both data providers are chased; both VRU staff are told who is late.
        assert len(expected.emails) == 4
        for at in range(len(statements)):
            start_again()
            got = run_failing_at(at, statements, remind_figures)
            assert got == expected, f"failing at: {statements[at]}"


def test_report_ready_retried_after_the_database_fails_while_telling_staff_reaches_each_once(
    sources, make_user
):
    make_user(Role.VRU_STAFF, username="valerie", email="valerie@vru.example")
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, tzinfo=LONDON), tick=False) as traveller:
        open_quarter.delay()
        traveller.move_to(dt.datetime(2026, 8, 1, 6, 30, tzinfo=LONDON))
        assemble_draft_report.delay()  # the draft exists from now on: each run below regenerates it
        start_again()
        expected, statements = clean_run(assemble_draft_report)
        assert sorted(email for email, _subject in expected.emails) == [
            "valerie@vru.example",
            "vera@vru.example",
        ]
        # The report's own statements are many (a report failing part-way is the subject of
        # tests/performance/test_report_failures.py): fail each statement before the report and after
        # it is written, and the first of the report's own.
        report = [i for i, sql in enumerate(statements) if "performance_report" in sql]
        for at in [*range(report[0] + 1), *range(report[-1] + 1, len(statements))]:
            start_again()
            got = run_failing_at(at, statements, assemble_draft_report)
            assert got == expected, f"failing at: {statements[at]}"
            assert ReportVersion.objects.count() == 1
