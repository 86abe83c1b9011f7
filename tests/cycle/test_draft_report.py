"""After the data deadline the cycle assembles the draft Home Office report, once, and tells VRU staff."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from governance.quarters import FinancialQuarter
from performance.models import Period, ReportVersion
from performance.tasks import assemble_draft_report, open_quarter, remind_figures

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Q1 = FinancialQuarter(2026, 1)  # April to June 2026; figures due by 31 July 2026


def drafts() -> list[tuple[int, str]]:
    return list(
        ReportVersion.objects.filter(report__year=Q1.year, report__quarter=Q1.quarter).values_list(
            "number", "status"
        )
    )


def test_the_draft_appears_the_day_after_the_deadline_once_and_vru_staff_are_told_once(sources):
    appeared: dt.date | None = None
    ready: list[tuple[dt.date, list[str]]] = []
    day = dt.date(2026, 7, 1)
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, tzinfo=LONDON), tick=False) as traveller:
        while day <= dt.date(2026, 8, 10):
            traveller.move_to(dt.datetime.combine(day, dt.time(6, 30), tzinfo=LONDON))
            for _run in range(2):  # a second beat, or a task delivered twice
                open_quarter.delay()
                remind_figures.delay()
                assemble_draft_report.delay()
            if appeared is None and drafts():
                appeared = day
            ready += [(day, m.to) for m in mail.outbox if "report is ready" in str(m.subject)]
            mail.outbox.clear()
            day += dt.timedelta(days=1)

    assert appeared == dt.date(2026, 8, 1)
    assert drafts() == [(1, ReportVersion.Status.DRAFT)]
    assert ready == [(dt.date(2026, 8, 1), ["vera@vru.example"])]


def test_the_report_ready_email_links_the_draft_and_names_the_late_returns(sources):
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, tzinfo=LONDON), tick=False) as traveller:
        open_quarter.delay()
        traveller.move_to(dt.datetime(2026, 8, 1, 6, 30, tzinfo=LONDON))
        mail.outbox.clear()
        assemble_draft_report.delay()
    [message] = mail.outbox
    assert message.subject == "The draft 2026/27 Q1 Home Office report is ready for review"
    assert "http://127.0.0.1:8000/reports/2026-27-q1/" in message.body
    assert "Hampshire and Isle of Wight Constabulary" in message.body  # its figures never came


def test_no_draft_is_made_for_a_quarter_whose_period_is_locked(sources):
    with time_machine.travel(dt.datetime(2026, 8, 1, 6, 30, tzinfo=LONDON), tick=False):
        open_quarter.delay()
        Period.objects.for_quarter(Q1).update(locked_at=timezone.now())
        assemble_draft_report.delay()
    assert drafts() == []
