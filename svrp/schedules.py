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


DAILY_0700 = {"minute": "0", "hour": "7", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}


def _daily(minute: int) -> dict[str, str]:
    return {**DAILY_0700, "minute": str(minute)}


SCHEDULES: list[Schedule] = [
    Schedule(
        name="Worker heartbeat",
        task="core.worker_heartbeat",
        crontab={"minute": "*"},
        description="A worker records that it is alive; /healthz reports how long ago it last did.",
    ),
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
    Schedule(
        name="Compact the content version",
        task="core.compact_content_changes",
        crontab={"minute": "45", "hour": "2"},
        description="Folds the day's content change rows into one; cached pages keep their keys.",
    ),
    # --- The quarterly cycle: figures and the report ---
    Schedule(
        "Open the quarter's figures",
        "performance.open_quarter",
        {**DAILY_0700, "hour": "6", "minute": "0"},
        "Daily (does something at a quarter's start): open the period, expect a return per data source.",
    ),
    Schedule(
        "Figures reminders and chasing",
        "performance.remind_figures",
        _daily(15),
        "Remind data providers before the deadline, chase them after it and tell VRU staff who is late.",
    ),
    Schedule(
        "Assemble the draft Home Office report",
        "performance.assemble_draft_report",
        {**DAILY_0700, "hour": "6", "minute": "30"},
        "Daily (does something once a quarter): the day after the deadline, draft the report.",
    ),
    Schedule(
        "Sweep unreferenced report files",
        "performance.sweep_report_files",
        {**DAILY_0700, "hour": "3", "minute": "15"},
        "Nightly: delete report files no version refers to, older than a day (ADR 0003).",
    ),
    # --- The quarterly cycle: meetings and actions ---
    Schedule(
        "Meeting reminders (a week before)",
        "governance.remind_meetings",
        _daily(0),
        "E-mail each member of a group a week before its meeting, with the pack and the invitation.",
    ),
    Schedule(
        "Sub-group update reminders",
        "governance.remind_subgroup_updates",
        _daily(5),
        "E-mail sub-group chairs whose update for the next SVRP meeting (within 14 days) is missing.",
    ),
    Schedule(
        "Unapproved minutes reminders",
        "governance.remind_minutes",
        _daily(10),
        "E-mail VRU staff every 14 days while a meeting's minutes are not approved.",
    ),
    Schedule(
        "Weekly action digest",
        "governance.send_action_digests",
        {**DAILY_0700, "minute": "30", "day_of_week": "1"},
        "Monday: e-mail each action owner their actions due within 14 days or overdue.",
    ),
    Schedule(
        "Leavers lose their seats' roles",
        "governance.remove_leavers_access",
        {**DAILY_0700, "hour": "0", "minute": "20"},
        "Daily: on the last day of a person's last tenure, take away the roles their seats gave them, "
        "once, and e-mail them and VRU staff.",
    ),
    # --- The Serious Violence Duty ---
    Schedule(
        "Duty document review reminders",
        "duty.remind_reviews",
        _daily(20),
        "E-mail VRU staff once when a Duty document's annual review is near and once when it is overdue.",
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
