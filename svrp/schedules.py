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


SCHEDULES: list[Schedule] = [
    Schedule(
        name="Send the outbox's pending tasks",
        task="core.flush_outbox",
        crontab={"minute": "*"},
        description="Sends tasks the broker could not take when they were asked for (core.outbox).",
    ),
    Schedule(
        name="Nightly backup",
        task="core.backup",
        crontab={"minute": "30", "hour": "2"},
        description="Database and uploaded files to SVRP_BACKUP_DIR (manage.py backup).",
    ),
]


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
