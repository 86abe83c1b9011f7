"""Celery tasks of the figures half of the quarterly cycle (``performance.cycle``).

Thin and idempotent: each takes the day it works for (today by default), calls one service, and
retries with back-off when mail or the database fails; a repeated run sends nothing twice.
"""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY, day_of


@shared_task(name="performance.open_quarter", **RETRY)
def open_quarter(today: str | None = None) -> int:
    from .cycle import quarter_start

    return quarter_start(today=day_of(today))


@shared_task(name="performance.remind_figures", **RETRY)
def remind_figures(today: str | None = None) -> int:
    from .cycle import figures_reminders_send

    return figures_reminders_send(today=day_of(today))


@shared_task(name="performance.assemble_draft_report", **RETRY)
def assemble_draft_report(today: str | None = None) -> bool:
    from .cycle import draft_report_assemble

    return draft_report_assemble(today=day_of(today))


@shared_task(name="performance.sweep_report_files", **RETRY)
def sweep_report_files() -> int:
    """Nightly: delete report files no version refers to (left by a killed or rolled-back run)."""
    from .reporting.services import orphaned_files_sweep

    return orphaned_files_sweep()
