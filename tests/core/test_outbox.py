from __future__ import annotations

import pytest
from celery import shared_task
from django.core.management import call_command
from django.db import transaction

from core.models import OutboxMessage
from core.outbox import enqueue, flush_outbox, send_message
from svrp.celery import app as celery_app
from svrp.schedules import SCHEDULES, sync_beat_schedule

pytestmark = pytest.mark.django_db

RAN: list[dict] = []


@shared_task(name="tests.core.record_run")
def record_run(**kwargs):
    RAN.append(kwargs)
    return kwargs


@pytest.fixture(autouse=True)
def _clear_runs():
    RAN.clear()


@pytest.fixture
def broker_down():
    """Point Celery at a port where nothing listens: a real refused connection, not a mock."""
    saved = celery_app.conf.broker_url, celery_app.conf.broker_write_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = "redis://127.0.0.1:9/0"
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.broker_url, celery_app.conf.broker_write_url, celery_app.conf.task_always_eager = saved


def test_a_task_asked_for_in_a_transaction_runs_after_commit_and_is_marked_sent(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = enqueue("tests.core.record_run", meeting_id=7)
        assert RAN == []  # nothing runs before the change is committed
    assert RAN == [{"meeting_id": 7}]
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                enqueue("tests.core.record_run", meeting_id=7)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert RAN == [] and not OutboxMessage.objects.exists()


def test_with_the_broker_down_the_message_waits_and_nothing_is_raised(
    broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue("tests.core.record_run", action_id=3)
    message.refresh_from_db()
    assert message.is_pending
    assert message.attempts == 1
    assert "127.0.0.1:9" in message.last_error
    assert RAN == []


def test_a_flush_sends_what_waited_once_the_broker_answers(broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue("tests.core.record_run", n=1)
        second = enqueue("tests.core.record_run", n=2)
    assert flush_outbox() == {"sent": 0, "pending": 2}  # still down: stops at the first failure

    celery_app.conf.task_always_eager = True  # the broker is back (eager: the task runs here)
    assert flush_outbox() == {"sent": 2, "pending": 0}
    assert RAN == [{"n": 1}, {"n": 2}]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sent_at and second.sent_at
    assert (first.attempts, second.attempts) == (3, 2)


def test_a_message_is_sent_at_most_once():
    message = OutboxMessage.objects.create(task_name="tests.core.record_run", kwargs={"n": 1})
    assert send_message(message.pk) is True
    assert send_message(message.pk) is False
    assert flush_outbox() == {"sent": 0, "pending": 0}
    assert RAN == [{"n": 1}]


def test_the_management_command_flushes_the_outbox(capsys):
    OutboxMessage.objects.create(task_name="tests.core.record_run", kwargs={"n": 5})
    call_command("flush_outbox")
    assert "1 sent, 0 still pending" in capsys.readouterr().out
    assert RAN == [{"n": 5}]


def test_beat_flushes_the_outbox_every_minute_and_backs_up_nightly():
    from django_celery_beat.models import PeriodicTask

    tasks = {schedule.task: schedule for schedule in SCHEDULES}
    assert tasks["core.flush_outbox"].crontab == {"minute": "*"}
    assert tasks["core.backup"].crontab == {"minute": "30", "hour": "2"}
    sync_beat_schedule()
    assert PeriodicTask.objects.filter(task="core.flush_outbox", enabled=True).exists()
    assert PeriodicTask.objects.filter(task="core.backup", enabled=True).exists()
    celery_app.loader.import_default_modules()
    assert {"core.flush_outbox", "core.backup"} <= set(celery_app.tasks.keys())
