"""iCalendar feeds of meetings, so members can subscribe from Outlook or their phone.

A calendar client cannot sign in, so the feed accepts either a signed-in session or a per-user secret
token in the address (``?u=<user id>&t=<token>``). The token is an HMAC of the user's id and password
hash under the site's secret key: nothing to store, different for every user, and changing the password
(or the secret key) revokes every address given out before. Feeds show meetings only: titles, times,
places and links, never papers or minutes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Calendar, Event

from core.parameters import whole_number

from .models import Meeting

SALT = "governance.calendar.feed"


def calendar_token(user: Any) -> str:
    return salted_hmac(SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:40]


def user_for_token(user_id: str | None, token: str | None) -> Any:
    pk = whole_number(user_id, minimum=1)
    if pk is None or not token:
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if user is None or not constant_time_compare(calendar_token(user), token):
        return None
    return user


def build_calendar(meetings: list[Meeting], *, name: str, site: str) -> bytes:
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//SVRP Portal//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@svrp-portal")
        event.add("summary", str(meeting))
        if meeting.start_time:
            start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
            end_time = meeting.end_time or (start + dt.timedelta(hours=2)).time()
            event.add("dtstart", start)
            event.add("dtend", dt.datetime.combine(meeting.date, end_time, tzinfo=tz))
        else:
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + dt.timedelta(days=1))
        event.add("dtstamp", meeting.modified)
        if meeting.location:
            event.add("location", meeting.location)
        description = [f"{site}{meeting.get_absolute_url()}"]
        if meeting.online_link:
            description.append(meeting.online_link)
        event.add("description", "\n".join(description))
        event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()  # type: ignore[no-any-return]
