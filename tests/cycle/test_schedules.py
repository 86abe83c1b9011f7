"""The quarterly cycle's beat schedules: defined in code, kept in the database, edited in the admin."""

from __future__ import annotations

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from svrp.celery import app as celery_app
from svrp.schedules import SCHEDULES, sync_beat_schedule

pytestmark = pytest.mark.django_db

CYCLE_TASKS = {
    "performance.open_quarter",
    "performance.remind_figures",
    "performance.assemble_draft_report",
    "governance.remind_meetings",
    "governance.remind_subgroup_updates",
    "governance.remind_minutes",
    "governance.send_action_digests",
}


def test_every_step_of_the_cycle_is_scheduled_in_the_database_for_a_task_celery_knows():
    assert {schedule.task for schedule in SCHEDULES} >= CYCLE_TASKS
    sync_beat_schedule()
    scheduled = PeriodicTask.objects.filter(task__in=CYCLE_TASKS, enabled=True)
    assert set(scheduled.values_list("task", flat=True)) == CYCLE_TASKS
    digest = scheduled.get(task="governance.send_action_digests").crontab
    assert (digest.minute, digest.hour, digest.day_of_week) == ("30", "7", "1")  # Mondays at 07:30
    assert str(digest.timezone) == "Europe/London"
    celery_app.loader.import_default_modules()
    assert set(celery_app.tasks.keys()) >= CYCLE_TASKS


def test_an_administrator_moves_a_schedule_in_the_admin_and_a_later_sync_keeps_the_change(client, superuser):
    sync_beat_schedule()
    digest = PeriodicTask.objects.get(task="governance.send_action_digests")
    friday, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="5", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    client.force_login(superuser)
    page = client.get(f"/admin/django_celery_beat/periodictask/{digest.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "name": digest.name,
            "regtask": digest.task,
            "task": digest.task,
            "crontab": friday.pk,
            "enabled": "on",
            "args": "[]",
            "kwargs": "{}",
            "headers": "{}",
            "priority": "",
            "expires_seconds": "",
        }
    )
    for key in ("interval", "solar", "clocked", "start_time_0", "start_time_1", "expires_0", "expires_1"):
        data.setdefault(key, "")
    data = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
    response = client.post(f"/admin/django_celery_beat/periodictask/{digest.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    sync_beat_schedule()
    digest.refresh_from_db()
    assert digest.crontab_id == friday.pk


@pytest.mark.parametrize("role", ["vru_staff", "board_member", "subgroup_chair", "data_provider"])
def test_only_administrators_reach_the_schedules_in_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/admin/django_celery_beat/periodictask/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_schedules():
    from django.test import Client

    response = Client().get("/admin/django_celery_beat/periodictask/")
    assert response.status_code == 302
    assert "login" in response["Location"]
