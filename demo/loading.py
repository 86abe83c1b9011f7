"""Demonstration data for `make run` (DEBUG only; never in production).

``load_demo_data`` runs each loader of ``DEMO_LOADERS`` in order, in one transaction: meetings exist
before the performance figures and Crest progress that refer to them, and the demo report, which reads
everything, comes last. Every loader is idempotent and marks its rows as demonstration data.
"""

from __future__ import annotations

from collections.abc import Callable

from . import crest, duty, governance, performance, report

DEMO_LOADERS: list[Callable[[], str]] = [
    governance.load,
    crest.load_demo,
    performance.load_demo_data,
    duty.load_demo,
    report.load_demo_report,
]


def load_all() -> list[str]:
    return [loader() for loader in DEMO_LOADERS]
