"""The Celery beat schedule, defined in code and synced to django-celery-beat's tables.

Staff may change a schedule in the admin; syncing creates missing entries and never
overwrites an edited one (the admin is the source of truth once an entry exists).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    crontab: dict[str, str]
    description: str = ""


SCHEDULES: list[Schedule] = []


def sync_beat_schedule() -> str:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = 0
    for item in SCHEDULES:
        if PeriodicTask.objects.filter(name=item.name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(timezone="Europe/London", **item.crontab)
        PeriodicTask.objects.create(
            name=item.name, task=item.task, crontab=crontab, description=item.description
        )
        created += 1
    return f"Beat schedule: {created} created, {len(SCHEDULES) - created} already present."
