"""The figures half of the quarterly cycle, travelled through day by day over a whole quarter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from governance.models import Reminder
from governance.quarters import FinancialQuarter
from performance.models import Area, DataReturn, Figure, Measure, Period
from performance.reference import CONSTABULARY, ICB
from performance.tasks import open_quarter, remind_figures

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
Q1 = FinancialQuarter(2026, 1)  # April to June 2026; its figures are due by 31 July 2026


def submit_all(organisation) -> None:
    for measure in Measure.objects.for_organisation(organisation.pk):
        Figure.objects.create(
            measure=measure,
            period=Period.objects.for_quarter(Q1).get(),
            area=Area.objects.get(is_total=True),
            value=Decimal(40),
            status=Figure.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )


def what_was_sent() -> list[tuple[str, str]]:
    found = sorted((message.to[0], str(message.subject)) for message in mail.outbox)
    mail.outbox.clear()
    return found


def run_the_days_tasks() -> None:
    """What beat starts each morning for figures (svrp/schedules.py)."""
    open_quarter.delay()
    remind_figures.delay()


def test_over_a_quarter_providers_are_told_reminded_and_chased_on_their_days_and_never_twice(sources):
    log: dict[dt.date, list[tuple[str, str]]] = {}
    day = dt.date(2026, 7, 1)
    with time_machine.travel(dt.datetime(2026, 7, 1, 7, tzinfo=LONDON), tick=False) as traveller:
        while day <= dt.date(2026, 9, 30):
            traveller.move_to(dt.datetime.combine(day, dt.time(7), tzinfo=LONDON))
            if day == dt.date(2026, 7, 20):
                submit_all(sources["icb"])  # the ICB is on time; the Constabulary is not
            if day == dt.date(2026, 8, 20):
                submit_all(sources["police"])  # late: the chasing stops
            run_the_days_tasks()
            if sent := what_was_sent():
                log[day] = sent
            run_the_days_tasks()  # a second beat, or a task delivered twice
            assert mail.outbox == [], f"sent twice on {day}"
            day += dt.timedelta(days=1)

    dana, ian, vera = "dana@police.example", "ian@icb.example", "vera@vru.example"
    opened = "2026/27 Q1 figures are open: due by 31 July 2026"
    due = "Reminder: 2026/27 Q1 figures are due by 31 July 2026"
    late = "Late: 2026/27 Q1 figures were due on 31 July 2026"
    note = "2026/27 Q1: 1 organisation's figures are late"
    assert log == {
        dt.date(2026, 7, 1): [(dana, opened), (ian, opened)],
        dt.date(2026, 7, 17): [(dana, due), (ian, due)],
        dt.date(2026, 7, 28): [(dana, due)],
        dt.date(2026, 8, 1): [(dana, late), (vera, note)],
        dt.date(2026, 8, 8): [(dana, late), (vera, note)],
        dt.date(2026, 8, 15): [(dana, late), (vera, note)],
    }
    assert Reminder.objects.count() == Reminder.objects.sent().count() == 11


def test_quarter_start_expects_one_return_per_data_source_and_a_second_run_adds_none(sources):
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, tzinfo=LONDON), tick=False):
        open_quarter.delay()
        open_quarter.delay()
    period = Period.objects.for_quarter(Q1).get()
    assert period.deadline == dt.date(2026, 7, 31)
    # The VRU is the source only of derived measures, which nobody types in: no return from it.
    assert sorted(DataReturn.objects.filter(period=period).values_list("organisation__name", flat=True)) == [
        CONSTABULARY,
        ICB,
    ]


def test_quarter_start_opens_a_period_the_framework_did_not_create(sources):
    with time_machine.travel(dt.datetime(2028, 10, 1, 6, tzinfo=LONDON), tick=False):
        open_quarter.delay()
    period = Period.objects.for_quarter(FinancialQuarter(2028, 2)).get()
    assert period.deadline == dt.date(2028, 10, 31)
    assert period.returns.count() == 2


def test_the_late_note_to_vru_staff_names_each_late_organisation_and_its_missing_measures(sources):
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, tzinfo=LONDON), tick=False) as traveller:
        open_quarter.delay()
        traveller.move_to(dt.datetime(2026, 8, 1, 7, tzinfo=LONDON))
        mail.outbox.clear()
        remind_figures.delay()
    [note] = [m for m in mail.outbox if m.to == ["vera@vru.example"]]
    assert note.subject == "2026/27 Q1: 2 organisations' figures are late"
    assert f"{CONSTABULARY}: 1.1.1.b, 1.1.1.c, 1.1.1.d" in note.body
    assert f"{ICB}: 1.1.1.a" in note.body
    html, mimetype = note.alternatives[0]
    assert mimetype == "text/html"
    assert "<td>1.1.1.b, 1.1.1.c, 1.1.1.d</td>" in html
    [chase] = [m for m in mail.outbox if m.to == ["dana@police.example"]]
    assert "http://127.0.0.1:8000/performance/submit/" in chase.body
    assert "1.1.1.a" not in chase.body  # only the Constabulary's own measures


def test_nothing_is_chased_once_the_period_is_locked(sources):
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, tzinfo=LONDON), tick=False) as traveller:
        open_quarter.delay()
        Period.objects.for_quarter(Q1).update(locked_at=timezone.now())
        mail.outbox.clear()
        traveller.move_to(dt.datetime(2026, 8, 1, 7, tzinfo=LONDON))
        remind_figures.delay()
    assert mail.outbox == []
