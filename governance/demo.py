"""Demonstration data for `make run` (DEBUG only; never in production).

``load_demo_data`` runs each loader in ``DEMO_LOADERS`` in order, in one transaction. Each app adds its
own loader (dotted path) after the governance ones, so meetings exist before performance figures and
Crest progress refer to them. Every loader is idempotent and marks its rows as demonstration data.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

DEMO_LOADERS: list[str] = [
    "governance.demo_meetings.load",
    "crest.demo.load_demo",
]


def load_all() -> list[str]:
    summary = []
    for dotted in DEMO_LOADERS:
        loader: Callable[[], str] = import_string(dotted)
        summary.append(loader())
    return summary
