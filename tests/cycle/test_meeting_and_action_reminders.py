"""The meetings-and-actions half of the quarterly cycle, travelled through day by day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from governance.models import Action, Meeting, Minutes, Person, Reminder
from governance.tasks import remind_meetings, remind_minutes, remind_subgroup_updates, send_action_digests
from tests.forms import date_input

from .flaky_mail import FlakyEmailBackend

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def run_the_days_tasks(day: dt.date) -> None:
    """What beat starts on a day (svrp/schedules.py): the daily reminders, the digest on Mondays."""
    remind_meetings.delay()
    remind_subgroup_updates.delay()
    remind_minutes.delay()
    if day.weekday() == 0:
        send_action_digests.delay()


def sent_today() -> list[tuple[str, str]]:
    found = sorted((message.subject.split(":")[0].split(" ")[0], message.to[0]) for message in mail.outbox)
    mail.outbox.clear()
    return found


def test_over_a_quarter_each_reminder_goes_out_on_its_day_and_never_twice(
    partnership, make_meeting, make_action
):
    april_meeting = make_meeting(dt.date(2025, 4, 2), status="held")
    dawg_meeting = make_meeting(dt.date(2025, 5, 7), group=partnership["dawg"])
    Minutes.objects.create(meeting=dawg_meeting, status="approved", approved_on=dt.date(2025, 5, 8))
    make_meeting(dt.date(2025, 6, 18))
    make_meeting(dt.date(2025, 5, 28), status="cancelled")
    first = make_action(dt.date(2025, 4, 10))
    make_action(dt.date(2025, 4, 10), owner=partnership["bob"])  # no account: no digest
    make_action(dt.date(2025, 6, 30))

    log: dict[dt.date, list[tuple[str, str]]] = {}
    day = dt.date(2025, 4, 1)
    with time_machine.travel(dt.datetime(2025, 4, 1, 7, tzinfo=LONDON), tick=False) as traveller:
        while day <= dt.date(2025, 6, 30):
            traveller.move_to(dt.datetime.combine(day, dt.time(7), tzinfo=LONDON))
            if day == dt.date(2025, 4, 22):
                Action.objects.filter(pk=first.pk).update(status="complete", completed_on=day)
            if day == dt.date(2025, 5, 20):
                Minutes.objects.create(
                    meeting=april_meeting, status="published", approved_on=day, published_at=timezone.now()
                )
            run_the_days_tasks(day)
            today = sent_today()
            if today:
                log[day] = today
            run_the_days_tasks(day)  # beat restarted, or a task delivered twice
            assert mail.outbox == [], f"sent twice on {day}"
            day += dt.timedelta(days=1)

    alice, bob, carol, vera = (
        "alice@police.example",
        "bob@council.example",
        "carol@council.example",
        "vera@vru.example",
    )
    assert log == {
        dt.date(2025, 4, 7): [("Your", alice)],
        dt.date(2025, 4, 14): [("Your", alice)],
        dt.date(2025, 4, 16): [("Minutes", vera)],
        dt.date(2025, 4, 21): [("Your", alice)],
        dt.date(2025, 4, 30): [("Minutes", vera), ("Reminder", carol)],
        dt.date(2025, 5, 14): [("Minutes", vera)],
        # The DAWG's minutes were approved on 8 May but never published.
        dt.date(2025, 5, 21): [("Minutes", vera)],
        dt.date(2025, 6, 4): [("DAWG", carol), ("Minutes", vera)],
        dt.date(2025, 6, 11): [("Reminder", alice), ("Reminder", bob)],
        dt.date(2025, 6, 16): [("Your", alice)],
        dt.date(2025, 6, 18): [("Minutes", vera)],
        dt.date(2025, 6, 23): [("Your", alice)],
        dt.date(2025, 6, 30): [("Your", alice)],
    }
    assert Reminder.objects.count() == Reminder.objects.sent().count() == 16


def test_the_meeting_reminder_links_the_pack_and_carries_the_calendar_invitation(partnership, make_meeting):
    meeting = make_meeting(dt.date(2025, 6, 18), location="Fareham Civic Offices")
    with time_machine.travel(dt.datetime(2025, 6, 11, 7, tzinfo=LONDON), tick=False):
        remind_meetings.delay()

    message = next(m for m in mail.outbox if m.to == ["alice@police.example"])
    assert f"http://127.0.0.1:8000/meetings/{meeting.pk}/pack/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000/meetings/{meeting.pk}/pack/"' in html
    name, content, ics_type = message.attachments[0]
    assert (name, ics_type) == (f"meeting-{meeting.pk}.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.datetime(2025, 6, 18, 10, tzinfo=LONDON)
    assert str(event["location"]) == "Fareham Civic Offices"


def test_the_action_digest_links_each_action_to_its_update_page_and_flags_the_overdue(
    partnership, make_action
):
    overdue = make_action(dt.date(2025, 6, 2))
    soon = make_action(dt.date(2025, 6, 20))
    make_action(dt.date(2025, 7, 31))  # too far ahead
    with time_machine.travel(dt.datetime(2025, 6, 9, 7, tzinfo=LONDON), tick=False):
        send_action_digests.delay()

    [message] = mail.outbox
    assert message.to == ["alice@police.example"]
    assert f"http://127.0.0.1:8000/actions/{overdue.reference}/update/" in message.body
    assert f"http://127.0.0.1:8000/actions/{soon.reference}/update/" in message.body
    assert "SVRP-2025-03" not in message.body
    assert f"{overdue.reference} (OVERDUE)" in message.body


@override_settings(EMAIL_BACKEND="tests.cycle.flaky_mail.FlakyEmailBackend")
def test_a_refused_send_is_retried_with_back_off_and_nobody_gets_the_reminder_twice(
    partnership, make_meeting
):
    make_meeting(dt.date(2025, 6, 18))
    FlakyEmailBackend.failures_left = 1  # the server refuses Alice's message, then answers again
    with time_machine.travel(dt.datetime(2025, 6, 11, 7, tzinfo=LONDON), tick=False):
        with pytest.raises(Retry) as retry:
            remind_meetings.delay()
        assert retry.value.when is not None  # a delayed retry (back-off with jitter), not a loss
        assert [m.to[0] for m in mail.outbox] == ["bob@council.example"]
        remind_meetings.delay()  # the retry

    assert [m.to[0] for m in mail.outbox] == ["bob@council.example", "alice@police.example"]
    assert Reminder.objects.pending().count() == 0
    attempts = dict(Reminder.objects.values_list("recipient", "attempts"))
    assert attempts == {"alice@police.example": 2, "bob@council.example": 1}


def test_the_database_refuses_a_second_record_of_the_same_reminder(partnership):
    fields = {
        "kind": "meeting",
        "object_key": "meeting:1",
        "recipient": "a@b.example",
        "for_date": "2025-06-18",
    }
    Reminder.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**fields)


def test_staff_are_told_to_publish_approved_minutes_and_to_approve_draft_ones(partnership, make_meeting):
    approved = make_meeting(dt.date(2025, 5, 7), status="held")
    Minutes.objects.create(meeting=approved, status="approved", approved_on=dt.date(2025, 5, 8))
    draft = make_meeting(dt.date(2025, 5, 7), group=partnership["dawg"], status="held")
    Minutes.objects.create(meeting=draft, status="draft")
    with time_machine.travel(dt.datetime(2025, 5, 21, 7, tzinfo=LONDON), tick=False):
        remind_minutes.delay()

    subjects = sorted(str(m.subject) for m in mail.outbox)
    assert subjects == [
        f"Minutes of {draft} still not approved after 14 days",
        f"Minutes of {approved} approved but not published after 14 days",
    ]
    publish = next(m for m in mail.outbox if "published" in str(m.subject))
    assert "Publish the minutes:" in publish.body
    assert f"http://127.0.0.1:8000/meetings/{approved.pk}/minutes/" in publish.body


def test_one_poisoned_meeting_does_not_stop_the_others_reminders(
    partnership, make_meeting, vru_staff, client_for
):
    """Seen: a meeting titled with CR/LF (a crafted POST) made remind_meetings raise for the whole run,
    and a normal meeting on 06/12 got no reminder either."""
    poisoned = make_meeting(dt.date(2025, 6, 17))
    Meeting.objects.filter(pk=poisoned.pk).update(
        title="Board\r\nBcc: everyone@example.org"
    )  # before the rule
    make_meeting(dt.date(2025, 6, 18))
    with time_machine.travel(dt.datetime(2025, 6, 12, 7, tzinfo=LONDON), tick=False):
        remind_meetings.delay()
        normal = [m for m in mail.outbox if "Bcc" not in m.subject and "18 June" in m.subject]
        assert normal, [m.subject for m in mail.outbox]
        assert all("\n" not in m.subject for m in mail.outbox)
        first = len(mail.outbox)
        remind_meetings.delay()  # again the same day: nobody gets the reminder twice
        assert len(mail.outbox) == first
        # The rule now holds at the door: such a title is refused on the form with a clear message.
        response = client_for(vru_staff).post(
            "/meetings/new/",
            {"group": partnership["svrp"].pk, "title": "A\r\nB", **date_input("date", "18/07/2025")},
        )
    assert "without line breaks" in response.text
    assert not Meeting.objects.filter(title="A\r\nB").exists()


def test_one_poisoned_digest_does_not_stop_the_others_and_vru_staff_are_told_once(partnership, make_action):
    """Each digest is sent in its own try: an owner whose address holds a line break (a record from
    before the rule) fails alone, the failure is recorded with its row, and VRU staff get one e-mail
    naming it; the retry sends nobody anything twice."""
    carol = partnership["carol"]
    make_action(dt.date(2025, 6, 20))  # Alice's
    make_action(dt.date(2025, 6, 20), owner=carol)
    carol.user.__class__.objects.filter(pk=carol.user_id).update(email="")
    Person.objects.filter(pk=carol.pk).update(email="carol@council.example\nBcc: everyone@example.org")
    with time_machine.travel(dt.datetime(2025, 6, 16, 7, tzinfo=LONDON), tick=False):
        with pytest.raises(Exception, match="newline|header"):
            send_action_digests.apply(throw=True, kwargs={}, retries=send_action_digests.max_retries)
        sent = {message.to[0]: message for message in mail.outbox}
        assert set(sent) == {"alice@police.example", "vera@vru.example"}
        report = sent["vera@vru.example"]
        assert "1 e-mail from the portal could not be sent" in report.subject
        assert f"action-digest:{carol.pk}" in report.body and "Weekly action digest" in report.body
        failed = Reminder.objects.get(object_key=f"action-digest:{carol.pk}")
        assert failed.sent_at is None and failed.attempts == 1 and failed.last_error

        mail.outbox.clear()
        with pytest.raises(Exception, match="newline|header"):
            send_action_digests.apply(throw=True, kwargs={}, retries=send_action_digests.max_retries)
        assert mail.outbox == []  # Alice's digest and the staff's report went once
    assert Reminder.objects.get(object_key=f"action-digest:{carol.pk}").attempts == 2
