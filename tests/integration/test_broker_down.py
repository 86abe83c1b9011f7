"""Redis stopped: pages keep working, what would have been queued waits in the outbox, and a real
worker runs it once Redis is back. Uses its own redis-server on a spare 127.0.0.1 port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django_celery_results.models import TaskResult

from core.models import OutboxMessage
from core.outbox import enqueue, flush_outbox
from svrp.celery import app as celery_app

pytestmark = [pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_start(port: int) -> None:
    subprocess.run(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
        ],
        check=True,
        capture_output=True,
    )
    for _ in range(50):
        if (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        ):
            return
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def redis_stop(port: int) -> None:
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
    for _ in range(50):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode != 0:
            return
        time.sleep(0.1)


@pytest.fixture
def own_redis():
    port = spare_port()
    url = f"redis://127.0.0.1:{port}/0"
    redis_start(port)
    saved = (celery_app.conf.broker_url, celery_app.conf.broker_write_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = url
    celery_app.conf.task_always_eager = False
    try:
        yield port, url
    finally:
        celery_app.conf.broker_url, celery_app.conf.broker_write_url, celery_app.conf.task_always_eager = (
            saved
        )
        redis_stop(port)


def start_worker(broker_url: str, queue: str) -> subprocess.Popen[str]:
    db = settings.DATABASES["default"]
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{connection.settings_dict['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "svrp",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_with_redis_stopped_pages_answer_and_the_task_runs_once_redis_is_back(
    own_redis, transactional_db, client_for, vru_staff
):
    port, url = own_redis
    queue = f"test-outbox-{os.getpid()}-{time.monotonic_ns()}"
    redis_stop(port)

    client = client_for(vru_staff)
    started = time.monotonic()
    assert client.get("/").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["broker"] == "down"

    with transaction.atomic():
        message = enqueue("governance.worker_health", queue=queue)
    assert time.monotonic() - started < 15, "a stopped broker must not hold requests for long"
    message.refresh_from_db()
    assert message.is_pending and message.attempts == 1 and message.last_error

    redis_start(port)
    worker = start_worker(url, queue)
    try:
        assert flush_outbox() == {"sent": 1, "pending": 0}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = TaskResult.objects.filter(task_name="governance.worker_health", status="SUCCESS")
            if done.exists():
                break
            time.sleep(0.5)
        assert done.count() == 1, "the worker did not run the task sent from the outbox"
        assert '"worker": "ok"' in done.get().result
        assert flush_outbox() == {"sent": 0, "pending": 0}  # sent once, never again
        assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
