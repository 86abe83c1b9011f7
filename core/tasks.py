"""Celery tasks of the core app. Thin: each calls the same code as its management command."""

from __future__ import annotations

from celery import current_task, shared_task
from django.utils import timezone

from . import backups, content_version, outbox


@shared_task(name="core.flush_outbox")
def flush_outbox() -> dict[str, int]:
    return outbox.flush_outbox()


@shared_task(name="core.backup", acks_late=False)
def backup() -> str:
    # Not re-delivered if a worker dies mid-way: the next night's run makes a fresh backup.
    return str(backups.backup_create())


@shared_task(name="core.compact_content_changes")
def compact_content_changes() -> int:
    """Fold the content version's change rows into one (the version itself does not change)."""
    return content_version.compact()


@shared_task(name="core.worker_heartbeat", ignore_result=True, expires=55)
def worker_heartbeat() -> None:
    """Beat sends this every minute; the worker that runs it records the time (``/healthz``)."""
    from .models import WorkerHeartbeat

    name = (current_task.request.hostname if current_task else None) or "worker"
    WorkerHeartbeat.objects.update_or_create(worker=name[:200], defaults={"beat_at": timezone.now()})
