"""Integration tests: PostgreSQL, Redis and a real Celery worker process.

They run when DATABASE_URL and CELERY_BROKER_URL point at PostgreSQL and Redis (CI's second pass);
on the default SQLite and file-system broker they are deselected, not skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def services_configured() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith(
        "postgresql"
    ) and settings.CELERY_BROKER_URL.startswith("redis")


def pytest_collection_modifyitems(config, items):
    if services_configured():
        return
    selected, deselected = [], []
    for item in items:
        (deselected if "integration" in item.keywords else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real worker, in its own process, on the test database and the configured Redis."""
    from svrp.celery import app

    db = settings.DATABASES["default"]
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    url = f"postgres://{db['USER']}@{host}:{port}/{connection.settings_dict['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CONN_MAX_AGE": "0",
    }
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    proc = subprocess.Popen(
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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = previous
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
