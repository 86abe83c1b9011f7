from __future__ import annotations

import time

import pytest

from governance.tasks import worker_health

pytestmark = [pytest.mark.integration]


def test_a_task_goes_through_redis_to_a_real_worker_and_its_result_comes_back(celery_worker_process):
    result = worker_health.apply_async(queue=celery_worker_process)
    answer = result.get(timeout=60)
    assert answer == {"worker": "ok", "database": "ok", "vendor": "postgresql"}


def test_a_real_workers_heartbeat_shows_on_healthz(celery_worker_process, client):
    from core.tasks import worker_heartbeat

    assert client.get("/healthz").json()["worker"] == "silent"
    worker_heartbeat.apply_async(queue=celery_worker_process)  # its result is not kept: watch /healthz
    deadline = time.monotonic() + 60
    while (health := client.get("/healthz").json())["worker"] != "ok" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert health["worker"] == "ok" and health["status"] == "ok"
    assert 0 <= health["worker_heartbeat_age_seconds"] < 60
