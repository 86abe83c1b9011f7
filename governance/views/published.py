"""What the public sees: meetings whose minutes are approved and published. Nothing confidential."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..meeting_selectors import attendance_rows, authority_attendance
from ..models import Attendance, Meeting, Minutes, Organisation


def _published() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("group", "minutes").filter(minutes__status=Minutes.Status.PUBLISHED)


@login_not_required
@require_GET
def published_meetings(request: HttpRequest) -> HttpResponse:
    meetings = _published().order_by("-date")
    return render(request, "governance/published_list.html", {"meetings": meetings})


@login_not_required
@require_GET
def published_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(_published(), pk=pk)
    rows = [r for r in attendance_rows(meeting) if r.status != Attendance.Status.EXPECTED]
    entries = {e.agenda_item_id: e for e in meeting.minutes.entries.all()}
    agenda = list(meeting.agenda_items.all())
    today = timezone.localdate()
    return render(
        request,
        "governance/published_detail.html",
        {
            "meeting": meeting,
            "minutes": meeting.minutes,
            "minute_entries": [(item, entries.get(item.pk)) for item in agenda],
            "attendance": rows,
            "authorities": authority_attendance(rows, list(Organisation.objects.duty_authorities())),
            "declarations": list(meeting.declarations.select_related("person", "agenda_item")),
            "decisions": list(meeting.decisions.select_related("agenda_item")),
            "actions": list(meeting.actions.for_list().with_overdue(today).order_by("reference")),
            "papers": list(meeting.papers.filter(confidential=False).order_by("title")),
            "today": today,
        },
    )
