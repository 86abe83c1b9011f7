"""Beat and a worker, both real processes on Redis and the test database: a schedule kept in the
database (as synced from svrp/schedules.py and edited in the admin) starts the weekly action digest,
the worker sends it, and however often beat fires it the owner gets it once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_results.models import TaskResult

from core.roles import Role
from governance.models import Action, Organisation, Person, Reminder, Sector
from svrp.schedules import sync_beat_schedule

pytestmark = [pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
DIGEST = "governance.send_action_digests"


@pytest.fixture
def worker_mail_dir(tmp_path, monkeypatch):
    """Where the worker's mail goes (the file backend): set before the worker starts."""
    folder = tmp_path / "mail"
    folder.mkdir()
    monkeypatch.setenv("EMAIL_URL", f"filemail:///{folder}")
    return folder


@pytest.fixture
def beat_process(celery_worker_process, tmp_path):
    """celery beat with the database scheduler, reading the test database's schedule."""
    db = settings.DATABASES["default"]
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{connection.settings_dict['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CONN_MAX_AGE": "0",
    }
    started = []

    def start() -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "svrp",
                "beat",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--max-interval",
                "1",
                f"--pidfile={tmp_path / 'beat.pid'}",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_beat_runs_the_scheduled_digest_on_a_real_worker_and_the_owner_gets_it_once(
    worker_mail_dir, celery_worker_process, beat_process, make_user
):
    police = Organisation.objects.create(name="Hampshire Constabulary", slug="police", sector=Sector.POLICE)
    user = make_user(Role.BOARD_MEMBER, username="alice", email="alice@police.example")
    alice = Person.objects.create(full_name="Alice Police", organisation=police, user=user)
    action = Action.objects.create(
        reference="SVRP-2026-01",
        description="Share the knife-crime hotspot analysis with the partnership.",
        owner=alice,
        organisation=police,
        due_date=timezone.localdate() + dt.timedelta(days=5),
    )

    sync_beat_schedule()
    # What an administrator would do in the admin: run the weekly digest every second, on the queue
    # this test's worker reads, with every other schedule paused.
    PeriodicTask.objects.exclude(task=DIGEST).update(enabled=False)
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    digest = PeriodicTask.objects.get(task=DIGEST)
    digest.crontab = None
    digest.interval = every_second
    digest.queue = celery_worker_process
    digest.save()

    beat = beat_process()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if TaskResult.objects.filter(task_name=DIGEST, status="SUCCESS").count() >= 3:
            break
        assert beat.poll() is None, beat.stdout.read() if beat.stdout else "beat exited"
        time.sleep(0.5)
    runs = TaskResult.objects.filter(task_name=DIGEST, status="SUCCESS")
    assert runs.count() >= 3, "beat did not start the digest three times within 90 seconds"
    assert sorted(run.result for run in runs)[-1] == "1"  # the first run sent one; the others none

    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.recipient) == ("action_digest", "alice@police.example")
    assert reminder.sent_at is not None
    mail = "".join(path.read_text() for path in sorted(worker_mail_dir.iterdir()))
    assert mail.count("To: alice@police.example") == 1
    assert f"http://127.0.0.1:8000/actions/{action.reference}/update/" in mail
