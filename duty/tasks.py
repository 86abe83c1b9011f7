"""Celery tasks of the Duty: thin, idempotent (each e-mail is recorded once and sent once)."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY, day_of


@shared_task(name="duty.remind_reviews", **RETRY)
def remind_reviews(today: str | None = None) -> int:
    from .services import review_reminders_send

    return review_reminders_send(today=day_of(today))


@shared_task(name="duty.send_chase", **RETRY)
def send_chase(chase_id: int) -> int:
    from .services import chase_send

    return chase_send(chase_id=chase_id)
