"""A serving process's long-lived objects set aside from the garbage collector.

A page that reads many rows allocates tens of thousands of objects, and every so many allocations
Python's collector walks every object the process holds, the whole of Django and the portal loaded at
start-up included: some 4 ms of an 18 ms page at scale 10 (issue 19). Once the process has served its
first request (by then the URLconf, the views, the templates and their tags are loaded), those objects
live as long as the process; ``gc.freeze()`` moves them to a generation the collector no longer walks.
Objects made afterwards are collected as before. A well-known setting for pre-forked servers (the
Python documentation of ``gc.freeze``).
"""

from __future__ import annotations

import gc
from typing import Any

from django.core.signals import request_finished

DISPATCH_UID = "svrp-gc-freeze"


def _freeze(**_kwargs: Any) -> None:
    request_finished.disconnect(dispatch_uid=DISPATCH_UID)
    gc.collect()  # what is garbage now is not kept for ever
    gc.freeze()


def after_first_request() -> None:
    """Freeze the process's objects once, when its first request has been served."""
    request_finished.connect(_freeze, weak=False, dispatch_uid=DISPATCH_UID)
