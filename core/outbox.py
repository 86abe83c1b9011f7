"""The task outbox: what a change asks Celery to do is written with the change, then sent.

Services call ``enqueue("app.task_name", id=...)`` inside their transaction. The row commits with the
change; after commit it is sent to the broker at once if the broker answers within a couple of
seconds. If it does not (Redis stopped), the page still answers and the row waits; ``flush_outbox``
(every minute from Celery beat, or ``manage.py flush_outbox``) sends it once the broker is back.

A row is sent at most once: the sender locks it (``select_for_update(skip_locked=True)`` on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) and marks ``sent_at`` in the same
transaction. A process killed between the broker accepting the message and the commit would send it
again on the next flush: tasks must stay idempotent, as Celery's own late acknowledgement needs anyway.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 2


def enqueue(task_name: str, /, *, queue: str = "", **kwargs: Any) -> OutboxMessage:
    """Record a task to run after the current transaction commits (``queue`` is reserved)."""
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs, queue=queue)
    transaction.on_commit(lambda: send_message(message.pk), robust=True)
    return message


class BrokerUnavailable(Exception):
    pass


def _publish(message: OutboxMessage) -> None:
    """Hand one message to Celery: eager in tests (``task_always_eager``), else to the broker."""
    from celery import current_app as app

    options: dict[str, Any] = {"queue": message.queue} if message.queue else {}
    task = app.tasks.get(message.task_name)
    if task is None:
        # Outside a worker the apps' tasks modules are imported only on demand (autodiscovery).
        app.loader.import_default_modules()
        task = app.tasks.get(message.task_name)
    if app.conf.task_always_eager and task is not None:
        task.apply_async(kwargs=message.kwargs, **options)
        return
    try:
        with app.connection_for_write() as connection:
            # Fail fast when the broker is down rather than retrying for many seconds in a request.
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=CONNECT_TIMEOUT_SECONDS
            )
            if task is not None:
                task.apply_async(kwargs=message.kwargs, connection=connection, retry=False, **options)  # type: ignore[call-arg]
            else:
                app.send_task(
                    message.task_name, kwargs=message.kwargs, connection=connection, retry=False, **options
                )
    except Exception as exc:  # kombu raises several types for a broker that does not answer
        raise BrokerUnavailable(f"{type(exc).__name__}: {exc}") from exc


def _lock_pending(queryset: Any) -> Any:
    return queryset.select_for_update(skip_locked=True).filter(sent_at__isnull=True)


def send_message(pk: int) -> bool:
    """Send one pending message now. False if it stays pending (broker down) or was already sent."""
    try:
        with transaction.atomic():
            message = _lock_pending(OutboxMessage.objects).filter(pk=pk).first()
            if message is None:
                return False
            return _send_locked(message)
    except BrokerUnavailable:
        return False


def _send_locked(message: OutboxMessage) -> bool:
    message.attempts += 1
    try:
        _publish(message)
    except BrokerUnavailable as exc:
        logger.warning("Outbox: %s (id %s) stays pending: %s", message.task_name, message.pk, exc)
        OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
            attempts=message.attempts, last_error=str(exc)[:2000]
        )
        return False
    updated = OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=message.attempts, last_error=""
    )
    return bool(updated)


def flush_outbox(*, limit: int | None = None) -> dict[str, int]:
    """Send pending messages, oldest first; stop at the first broker failure (it is down)."""
    limit = limit or settings.SVRP_OUTBOX_FLUSH_LIMIT
    sent = 0
    pending_ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True)
        .order_by("created", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pending_ids:
        with transaction.atomic():
            message = _lock_pending(OutboxMessage.objects).filter(pk=pk).first()
            if message is None:
                continue  # sent meanwhile by another process
            if not _send_locked(message):
                break
            sent += 1
    left = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    if sent or left:
        logger.info("Outbox: %s sent, %s pending.", sent, left)
    return {"sent": sent, "pending": left}
