"""Celery tasks of the governance app. Thin: they take ids or dates, load, and call a service.

The reminder tasks are idempotent (each reminder is recorded once under a database unique key and
sent once), so a retry after a failed send or a second run on the same day sends nothing twice.
"""

from __future__ import annotations

from celery import shared_task
from django.db import connection

from core.retry import RETRY, day_of


@shared_task(name="governance.worker_health")
def worker_health() -> dict[str, str]:
    """Answer from a worker: proves the broker delivers and the worker reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        answered = cursor.fetchone() == (1,)
    return {"worker": "ok", "database": "ok" if answered else "down", "vendor": connection.vendor}


@shared_task(name="governance.remind_meetings", **RETRY)
def remind_meetings(today: str | None = None) -> int:
    from .services.reminders import meeting_reminders_send

    return meeting_reminders_send(today=day_of(today))


@shared_task(name="governance.remind_subgroup_updates", **RETRY)
def remind_subgroup_updates(today: str | None = None) -> int:
    from .services.reminders import subgroup_update_reminders_send

    return subgroup_update_reminders_send(today=day_of(today))


@shared_task(name="governance.remind_minutes", **RETRY)
def remind_minutes(today: str | None = None) -> int:
    from .services.reminders import minutes_reminders_send

    return minutes_reminders_send(today=day_of(today))


@shared_task(name="governance.send_action_digests", **RETRY)
def send_action_digests(today: str | None = None) -> int:
    from .services.reminders import action_digests_send

    return action_digests_send(today=day_of(today))


@shared_task(name="governance.send_invitation", **RETRY)
def send_invitation(person_id: int) -> bool:
    from .services.accounts import invitation_send

    return invitation_send(person_id=person_id)


@shared_task(name="governance.remove_leavers_access", **RETRY)
def remove_leavers_access(today: str | None = None) -> int:
    from .services.accounts import leavers_access_remove

    return leavers_access_remove(today=day_of(today))
