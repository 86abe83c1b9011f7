"""A serving process sets its start-up objects aside from the garbage collector after its first request
(core.gc_freeze): what made a register of 300 rows cost 4 ms more, cold, than it needs."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished

from core import gc_freeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    request_finished.disconnect(dispatch_uid=gc_freeze.DISPATCH_UID)
    gc.unfreeze()


def test_the_first_request_freezes_the_process_objects_once(client, unfrozen) -> None:
    assert gc.get_freeze_count() == 0
    gc_freeze.after_first_request()
    assert gc.get_freeze_count() == 0, "nothing is frozen before a request is served"
    assert client.get("/accessibility/").status_code == 200
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # Django, the portal and what the first request loaded
    gc.unfreeze()
    client.get("/accessibility/")
    assert gc.get_freeze_count() == 0, "frozen once, not at every request"


def test_the_wsgi_application_freezes_after_its_first_request(client, unfrozen) -> None:
    import svrp.wsgi

    importlib.reload(svrp.wsgi)  # as a worker loads it
    client.get("/accessibility/")
    assert gc.get_freeze_count() > 10_000
