from __future__ import annotations

import pytest

from governance.tasks import worker_health

pytestmark = [pytest.mark.integration]


def test_a_task_goes_through_redis_to_a_real_worker_and_its_result_comes_back(celery_worker_process):
    result = worker_health.apply_async(queue=celery_worker_process)
    answer = result.get(timeout=60)
    assert answer == {"worker": "ok", "database": "ok", "vendor": "postgresql"}
