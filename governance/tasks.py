"""Celery tasks of the governance app. Thin: they take ids, load, and call a service."""

from __future__ import annotations

from celery import shared_task
from django.db import connection


@shared_task(name="governance.worker_health")
def worker_health() -> dict[str, str]:
    """Answer from a worker: proves the broker delivers and the worker reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        answered = cursor.fetchone() == (1,)
    return {"worker": "ok", "database": "ok" if answered else "down", "vendor": connection.vendor}
