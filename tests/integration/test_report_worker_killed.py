"""A worker killed in the middle of the Home Office report leaves no half-written report, and the next
run completes it (fault tolerance, on PostgreSQL, Redis and a real worker).

To stop the worker at a known point, the test holds a lock on the report files' table: the worker
has begun the draft (its version row is written, inside its transaction) and waits to record the
first file. The test kills it there with SIGKILL, as a crash or an out-of-memory kill would.
"""

from __future__ import annotations

import os
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from governance.tasks import worker_health
from performance.models import Report, ReportFile, ReportVersion
from performance.reporting.services import file_matches
from performance.tasks import assemble_draft_report

from .test_broker_down import start_worker

pytestmark = [pytest.mark.integration]

# 15 August 2026: 2026/27 Q1's figures were due by 31 July, so its draft report is assembled.
AFTER_DEADLINE = "2026-08-15"


def lock_connection() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=connection.settings_dict["NAME"],
    )


def waiting_on_report_files(watcher: psycopg.Connection) -> bool:
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
        "AND query LIKE %s",
        [connection.settings_dict["NAME"], "%performance_reportfile%"],
    ).fetchone()
    return bool(row and row[0])


def waiting_on_report_files_pid(watcher: psycopg.Connection) -> int | None:
    """The database session of the worker that waits to record the report's files, if any."""
    row = watcher.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
        "AND query LIKE %s LIMIT 1",
        [connection.settings_dict["NAME"], "%performance_reportfile%"],
    ).fetchone()
    return int(row[0]) if row else None


def session_open(watcher: psycopg.Connection, pid: int) -> bool:
    row = watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return bool(row and row[0])


def wait_for(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)


def test_a_worker_killed_mid_report_leaves_nothing_half_written_and_the_next_run_completes_it(
    transactional_db,
):
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
    queue = f"test-report-{os.getpid()}-{time.monotonic_ns()}"
    broker = settings.CELERY_BROKER_URL
    previous = settings.CELERY_TASK_ALWAYS_EAGER
    from svrp.celery import app

    app.conf.task_always_eager = False
    locker, watcher = lock_connection(), lock_connection()
    watcher.autocommit = True
    worker = start_worker(broker, queue)
    try:
        assert worker_health.apply_async(queue=queue).get(timeout=60)["worker"] == "ok"
        locker.execute("LOCK TABLE performance_reportfile IN ACCESS EXCLUSIVE MODE")
        assemble_draft_report.apply_async(kwargs={"today": AFTER_DEADLINE}, queue=queue)
        wait_for(lambda: waiting_on_report_files(watcher), 90, "the worker never reached the report's files")
        worker_session = waiting_on_report_files_pid(watcher)
        assert worker_session is not None

        worker.kill()  # SIGKILL: no clean shutdown, no chance to tidy up
        worker.wait(timeout=20)
        locker.rollback()  # the lock goes; the dead worker's session finds its client gone
        wait_for(
            lambda: not session_open(watcher, worker_session),
            30,
            "the killed worker's database session stayed open",
        )
        assert not ReportVersion.objects.exists(), "a killed run left a report version behind"
        assert not ReportFile.objects.exists()

        # The next run (the schedule's next day, or the message delivered again) completes it.
        worker = start_worker(broker, queue)
        assert assemble_draft_report.apply_async(kwargs={"today": AFTER_DEADLINE}, queue=queue).get(
            timeout=180
        )
        report = Report.objects.get(year=2026, quarter=1)
        version = report.versions.get()
        assert version.number == 1 and version.status == ReportVersion.Status.DRAFT
        files = list(version.files.all())
        assert sorted(f.kind for f in files) == sorted(ReportFile.Kind.values)
        assert all(file_matches(f) for f in files)
    finally:
        app.conf.task_always_eager = previous
        locker.close()
        watcher.close()
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except Exception:  # noqa: BLE001 - already gone
            worker.kill()
