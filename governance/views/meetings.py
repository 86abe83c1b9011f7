"""Meetings: list, page, scheduling, agenda, papers, attendance, declarations, minutes and the pack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.content_version import USERS
from core.forms import apply_service_error, form_page, form_saved
from core.fragments import Fragment, cached_fragments
from core.uploads import serve_upload

from .. import pack
from .. import permissions as perms
from ..calendar import build_calendar, calendar_token, user_for_token
from ..content_scopes import ACTIONS, ATTENDANCE, DECISIONS, MEETINGS, REGISTERS, THEORY_OF_CHANGE
from ..history import history_entries
from ..meeting_forms import (
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    DeclarationForm,
    GuestForm,
    MeetingFilterForm,
    MeetingForm,
    MinutesApproveForm,
    MinutesForm,
    PaperForm,
    ScheduleForm,
)
from ..meeting_selectors import (
    meeting_actions,
    meeting_attendance,
    meeting_page,
    meeting_queryset,
    publication_preview,
)
from ..models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    PartnershipGroup,
)
from ..services import meetings as services


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(meeting_queryset(), pk=pk)


# --- Lists and pages --------------------------------------------------------------------------


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = MeetingFilterForm(request.GET or None)
    meetings = Meeting.objects.select_related("group", "minutes").annotate(
        upcoming=Case(
            When(Q(date__gte=today) & ~Q(status=Meeting.Status.CANCELLED), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    if form.is_valid():
        if form.cleaned_data["group"]:
            meetings = meetings.filter(group=form.cleaned_data["group"])
        if form.cleaned_data["status"]:
            meetings = meetings.filter(status=form.cleaned_data["status"])
    upcoming = meetings.filter(upcoming=0).order_by("date", "start_time")
    past = meetings.filter(upcoming=1).order_by("-date", "-start_time")
    page = Paginator(past, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    token = calendar_token(request.user)
    feed_query = f"?u={request.user.pk}&t={token}"
    return render(
        request,
        "governance/meeting_list.html",
        {
            "form": form,
            "upcoming": list(upcoming),
            "page": page,
            "query": query.urlencode(),
            "can_manage": perms.can_manage_meetings(request.user),
            "feed_url": request.build_absolute_uri(reverse("governance:calendar")) + feed_query,
            "group_feeds": [
                (
                    g,
                    request.build_absolute_uri(reverse("governance:calendar_group", args=[g.slug]))
                    + feed_query,
                )
                for g in PartnershipGroup.objects.filter(archived_at__isnull=True)
            ],
        },
    )


# What each part of the meeting's record reads (not the performance figures or the Crest tracker):
# during the meeting VRU staff record attendance, decisions and actions row by row, and each re-renders
# only its own part.
RECORD_SCOPES = (MEETINGS, DECISIONS, REGISTERS, USERS)
RECORD_ATTENDANCE_SCOPES = (MEETINGS, ATTENDANCE, REGISTERS)
RECORD_ACTIONS_SCOPES = (MEETINGS, ACTIONS, REGISTERS, THEORY_OF_CHANGE, USERS)


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    user = request.user
    can_see_confidential = perms.can_see_confidential(user)
    # Draft minutes and decisions stay with VRU staff and the group's members until approved.
    # Whether this viewer sees the drafts, and their own row of the register if they may answer with it.
    drafts_visible, own_row = perms.meeting_viewer(user, meeting)

    # Rendered without the request: nothing of the viewer's may reach a part shared by every viewer
    # of a role (and the context processors' navigation is not rendered three times).
    def part(template: str, context: Callable[[], dict[str, Any]]) -> Callable[[], str]:
        return lambda: render_to_string(
            template,
            {**context(), "can_see_confidential": can_see_confidential, "drafts_hidden": not drafts_visible},
        )

    # The agenda, papers, a register of some fifty people, minutes, decisions and the actions raised
    # cost several times the rest of the page to read and render: render them once per version of the
    # content they read (core.fragments, docs/adr/0004) for those who see confidential papers and those
    # who do not, in three parts, so that recording an attendance row re-renders the register alone and
    # an action the actions alone. Overdue depends on the date, which is in the key.
    record_html, attendance_html, actions_html = cached_fragments(
        Fragment(
            "meeting-record",
            RECORD_SCOPES,
            (meeting.pk, can_see_confidential, drafts_visible),
            part(
                "governance/partials/meeting_record.html",
                lambda: meeting_page(meeting, drafts_hidden=not drafts_visible),
            ),
        ),
        Fragment(
            "meeting-attendance",
            RECORD_ATTENDANCE_SCOPES,
            (meeting.pk,),
            part("governance/partials/meeting_attendance.html", lambda: meeting_attendance(meeting)),
        ),
        Fragment(
            "meeting-actions",
            RECORD_ACTIONS_SCOPES,
            (meeting.pk,),
            part("governance/partials/meeting_actions.html", lambda: meeting_actions(meeting)),
        ),
    )
    record_html = mark_safe(  # noqa: S308 - our own fragments
        record_html.replace("<!--meeting-attendance-->", attendance_html, 1).replace(
            "<!--meeting-actions-->", actions_html, 1
        )
    )
    context: dict[str, Any] = {
        "meeting": meeting,
        "minutes": getattr(meeting, "minutes", None),
        "record_html": record_html,
        "can_manage": perms.can_manage_meetings(user),
        "own_row": own_row,
        "own_form": (
            AttendanceForm(own=True, initial={"status": own_row.status, "deputy_name": own_row.deputy_name})
            if own_row and perms.can_edit_attendance(user, own_row, meeting)
            else None
        ),
    }
    if perms.can_see_history(user):
        context["history"] = history_entries(
            Minutes.history.filter(meeting_id=meeting.pk), label=lambda r: _("Minutes")
        ) + history_entries(Decision.history.filter(meeting_id=meeting.pk), label=lambda r: r.reference)
        context["history"].sort(key=lambda e: e["date"], reverse=True)
    return render(request, "governance/meeting_detail.html", context)


# --- Scheduling -------------------------------------------------------------------------------


def meeting_create(request: HttpRequest) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    initial = {}
    if slug := request.GET.get("group"):
        initial["group"] = PartnershipGroup.objects.filter(slug=slug).first()
    form = MeetingForm(request.POST or None, initial=initial)
    if saved := form_saved(
        request, form, lambda: services.meeting_schedule(acting_user=request.user, **form.cleaned_data)
    ):
        meeting = saved.value
        messages.success(request, _("Meeting scheduled: %(meeting)s.") % {"meeting": meeting})
        return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Schedule a meeting"),
        button=_("Schedule meeting"),
        back=reverse("governance:meetings"),
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if form_saved(
        request,
        form,
        lambda: services.meeting_update(acting_user=request.user, meeting=meeting, **form.cleaned_data),
    ):
        messages.success(request, _("Meeting details saved."))
        return redirect(meeting)
    return form_page(
        request, form, title=_("Edit meeting details"), button=_("Save"), back=meeting.get_absolute_url()
    )


def meeting_schedule_helper(request: HttpRequest) -> HttpResponse:
    """Propose the next four SVRP meetings from the last one; staff confirm, change or skip each."""
    perms.require(perms.can_manage_meetings(request.user))
    svrp = PartnershipGroup.objects.svrp().order_by("order", "pk").first()
    last = (
        Meeting.objects.filter(group=svrp).exclude(status=Meeting.Status.CANCELLED).order_by("-date").first()
    )
    if svrp is None or last is None:
        messages.info(request, _("Schedule the first SVRP meeting by hand; later ones can then be proposed."))
        return redirect("governance:meeting_create")
    proposals = services.propose_quarterly_dates(last.date)
    form = ScheduleForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        dates = form.dates()
        if not dates:
            form.add_error(None, _("Enter at least one date, or cancel."))
        else:
            for day in dates:
                services.meeting_schedule(
                    acting_user=request.user,
                    group=svrp,
                    date=day,
                    start_time=last.start_time,
                    end_time=last.end_time,
                    location=last.location,
                    online_link=last.online_link,
                )
            messages.success(
                request,
                ngettext("%(n)s meeting scheduled.", "%(n)s meetings scheduled.", len(dates))
                % {"n": len(dates)},
            )
            return redirect("governance:meetings")
    return form_page(
        request,
        form,
        title=_("Schedule the next four SVRP meetings"),
        button=_("Schedule these meetings"),
        back=reverse("governance:meetings"),
        lead=_(
            "Proposed from the last meeting on %(date)s: the same weekday in the same week of the month, "
            "a quarter apart, at the same time and place."
        )
        % {"date": f"{last.date:%A %d %B %Y}"},
    )


# --- Agenda, papers, declarations, decisions --------------------------------------------------


def _agenda_url(meeting: Meeting, item: AgendaItem | None = None) -> str:
    url = reverse("governance:agenda", args=[meeting.pk])
    return f"{url}#item-{item.pk}" if item is not None else url


def _agenda_locked(meeting: Meeting) -> bool:
    minutes = getattr(meeting, "minutes", None)
    return minutes is not None and minutes.status != Minutes.Status.DRAFT


def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda for staff to build: every item with edit, delete and move controls, and the form
    that adds the next item on the same page."""
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    form = AgendaItemForm(request.POST or None)
    if saved := form_saved(
        request,
        form,
        lambda: services.agenda_item_add(acting_user=request.user, meeting=meeting, **form.cleaned_data),
    ):
        item = saved.value
        messages.success(
            request, _("Agenda item added: %(n)s. %(title)s.") % {"n": item.order, "title": item.title}
        )
        return redirect(_agenda_url(meeting, item))
    items = list(meeting.agenda_items.select_related("presenter"))
    return render(
        request,
        "governance/agenda.html",
        {"meeting": meeting, "items": items, "form": form, "locked": _agenda_locked(meeting)},
        status=422 if form.errors else 200,
    )


def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    form = AgendaItemForm(request.POST or None)
    if form_saved(
        request,
        form,
        lambda: services.agenda_item_add(acting_user=request.user, meeting=meeting, **form.cleaned_data),
    ):
        messages.success(request, _("Agenda item added."))
        return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Add an agenda item"),
        button=_("Add item"),
        back=meeting.get_absolute_url(),
        meeting=meeting,
    )


def agenda_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = AgendaItemForm(
        request.POST or None,
        initial={"title": item.title, "presenter": item.presenter_id, "description": item.description},
    )
    if form_saved(
        request,
        form,
        lambda: services.agenda_item_update(acting_user=request.user, item=item, **form.cleaned_data),
    ):
        messages.success(request, _("Agenda item %(n)s saved.") % {"n": item.order})
        return redirect(_agenda_url(meeting, item))
    return form_page(
        request,
        form,
        title=_("Edit agenda item %(n)s") % {"n": item.order},
        button=_("Save item"),
        back=_agenda_url(meeting),
        meeting=meeting,
    )


def agenda_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Asks first, and says why when the item cannot go; deletes on the POST."""
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    if request.method == "POST":
        try:
            services.agenda_item_delete(acting_user=request.user, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_agenda_url(meeting, item))
        messages.success(request, _("Agenda item deleted: %(title)s.") % {"title": item.title})
        return redirect(_agenda_url(meeting))
    return render(
        request,
        "governance/agenda_item_delete.html",
        {
            "meeting": meeting,
            "item": item,
            "blockers": services.agenda_item_blockers(item),
            "locked": _agenda_locked(meeting),
            "papers": list(item.papers.all()),
        },
    )


@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    before = item.order
    try:
        item = services.agenda_item_move(
            acting_user=request.user, item=item, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if item.order != before:
            messages.success(
                request,
                _("“%(title)s” is now item %(n)s.") % {"title": item.title, "n": item.order},
            )
    return redirect(_agenda_url(meeting, item))


def paper_add(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    form = PaperForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_add(
                acting_user=request.user,
                meeting=meeting,
                title=data["title"],
                upload=data["file"],
                agenda_item=data["agenda_item"],
                confidential=data["confidential"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Paper added."))
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Add a paper"),
        button=_("Upload paper"),
        back=meeting.get_absolute_url(),
        meeting=meeting,
        multipart=True,
    )


@login_not_required
@require_GET
def paper_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Serve a paper as an attachment, to readers allowed to see it; everyone else gets a 404."""
    paper = get_object_or_404(Paper.objects.select_related("meeting__minutes"), pk=pk)
    minutes = getattr(paper.meeting, "minutes", None)
    published = minutes is not None and minutes.is_published
    perms.require(perms.can_view_paper(request.user, paper, meeting_published=published), hide=True)
    return serve_upload(paper.file, paper.original_name or f"paper-{paper.pk}.{paper.file_type}")


def declaration_add(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    form = DeclarationForm(request.POST or None, meeting=meeting)
    if form_saved(
        request,
        form,
        lambda: services.declaration_add(acting_user=request.user, meeting=meeting, **form.cleaned_data),
    ):
        messages.success(request, _("Declaration of interest recorded."))
        return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Record a declaration of interest"),
        button=_("Record declaration"),
        back=meeting.get_absolute_url(),
        meeting=meeting,
    )


def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if saved := form_saved(
        request,
        form,
        lambda: services.decision_add(acting_user=request.user, meeting=meeting, **form.cleaned_data),
    ):
        decision = saved.value
        messages.success(request, _("Decision %(ref)s recorded.") % {"ref": decision.reference})
        return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Record a decision"),
        button=_("Record decision"),
        back=meeting.get_absolute_url(),
        meeting=meeting,
    )


# --- Attendance -------------------------------------------------------------------------------


def attendance_register(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    rows = list(
        meeting.attendance.select_related("person", "organisation", "membership", "seat").order_by(
            "organisation__name", "seat__order", "person__full_name", "guest_name"
        )
    )
    names = {row.person_id: row.person.full_name for row in rows if row.person}
    history = history_entries(
        Attendance.history.filter(meeting_id=meeting.pk),
        label=lambda r: r.guest_name or names.get(r.person_id, ""),
    )
    return render(
        request,
        "governance/attendance.html",
        {
            "meeting": meeting,
            "rows": [(row, _row_form(row)) for row in rows],
            "guest_form": GuestForm(),
            "history": history,
        },
    )


def _row_form(row: Attendance, data: Any = None) -> AttendanceForm:
    return AttendanceForm(
        data,
        prefix=f"row{row.pk}",
        initial={"status": row.status, "deputy_name": row.deputy_name, "note": row.note},
    )


@require_POST
def attendance_row(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    """Save one row of the register: an htmx request gets the row back, a plain form post a redirect."""
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    row = get_object_or_404(meeting.attendance.select_related("person", "organisation", "seat"), pk=row_pk)
    form = _row_form(row, request.POST)
    saved = False
    if form.is_valid():
        try:
            services.attendance_record(acting_user=request.user, attendance=row, **form.cleaned_data)
            saved = True
        except ValidationError as error:
            apply_service_error(form, error)
    if request.htmx:  # type: ignore[attr-defined]
        if saved:
            form = _row_form(row)
        return render(
            request,
            "governance/partials/attendance_row.html",
            {"meeting": meeting, "row": row, "form": form, "saved": saved},
        )  # 200 even with errors: htmx swaps only successful responses
    if saved:
        messages.success(request, _("Attendance saved for %(who)s.") % {"who": row.who})
        return redirect(reverse("governance:attendance", args=[meeting.pk]) + f"#row-{row.pk}")
    return render(
        request,
        "governance/attendance_row_page.html",
        {"meeting": meeting, "row": row, "form": form},
        status=422,
    )


@require_POST
def attendance_guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    form = GuestForm(request.POST)
    if form.is_valid():
        services.attendance_add_guest(acting_user=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Guest added."))
        return redirect("governance:attendance", meeting.pk)
    return form_page(
        request,
        form,
        title=_("Add a guest"),
        button=_("Add guest"),
        back=reverse("governance:attendance", args=[meeting.pk]),
    )


@require_POST
def my_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """A member sends apologies or names a deputy themselves, before the meeting."""
    meeting = _meeting(pk)
    person = perms.person_of(request.user)
    row = meeting.attendance.filter(person=person).first() if person else None
    perms.require(row is not None and perms.can_edit_attendance(request.user, row, meeting))
    assert row is not None
    form = AttendanceForm(request.POST, own=True)
    if form.is_valid():
        try:
            services.attendance_record(acting_user=request.user, attendance=row, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Your reply has been recorded."))
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Your attendance"),
        button=_("Send reply"),
        back=meeting.get_absolute_url(),
        action=reverse("governance:my_attendance", args=[meeting.pk]),
    )


# --- Minutes ----------------------------------------------------------------------------------


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and minutes.status != Minutes.Status.DRAFT:
        messages.info(request, _("These minutes are approved and can no longer be changed."))
        return redirect(meeting)
    items = list(meeting.agenda_items.all())
    entries = {e.agenda_item_id: e.text for e in MinuteEntry.objects.filter(minutes__meeting=meeting)}
    initial = {"summary": minutes.summary if minutes else ""} | {f"item_{k}": v for k, v in entries.items()}
    form = MinutesForm(request.POST or None, agenda_items=items, initial=initial)
    if form_saved(
        request,
        form,
        lambda: services.minutes_save(
            acting_user=request.user,
            meeting=meeting,
            summary=form.cleaned_data["summary"],
            entries=form.entries(),
        ),
    ):
        messages.success(request, _("Draft minutes saved."))
        return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Minutes of %(meeting)s") % {"meeting": meeting},
        button=_("Save draft minutes"),
        back=meeting.get_absolute_url(),
        lead=_("Write one minute for each agenda item.")
        if items
        else _("Add agenda items first: minutes follow the agenda."),
    )


def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or minutes.status != Minutes.Status.DRAFT:
        messages.info(request, _("There are no draft minutes to approve."))
        return redirect(meeting)
    form = MinutesApproveForm(
        request.POST or None,
        meeting=meeting,
        initial={"approved_on": timezone.localdate()},
    )
    if form_saved(
        request,
        form,
        lambda: services.minutes_approve(acting_user=request.user, minutes=minutes, **form.cleaned_data),
    ):
        messages.success(request, _("Minutes approved."))
        return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Approve the minutes"),
        button=_("Approve minutes"),
        back=meeting.get_absolute_url(),
    )


def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (what becomes public, what stays unrecorded or missing), then publishes on the POST."""
    perms.require(perms.can_manage_meetings(request.user))
    meeting = _meeting(pk)
    minutes = getattr(meeting, "minutes", None)
    if request.method == "POST":
        try:
            if minutes is None:
                raise ValidationError(_("Only approved minutes can be published."))
            services.minutes_publish(acting_user=request.user, minutes=minutes)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Minutes, attendees, decisions and actions published."))
        return redirect(meeting)
    if minutes is None or minutes.status != Minutes.Status.APPROVED:
        messages.error(request, _("Only approved minutes can be published."))
        return redirect(meeting)
    return render(
        request,
        "governance/publish_confirm.html",
        {"meeting": meeting, "preview": publication_preview(meeting)},
    )


# --- Pack -------------------------------------------------------------------------------------


def _pack_body_context(
    meeting: Meeting, *, can_see_confidential: bool, paper_url: Any, with_actions: bool = True
) -> dict[str, Any]:
    """What the pack's body shows (``governance/partials/pack_body.html``) but the other apps' sections:
    the same for every reader who does, or does not, see confidential papers. Without the action log
    (``_pack_actions_context``) when ``with_actions`` is False."""
    from ..meeting_selectors import subgroup_update_status

    today = timezone.localdate()
    agenda = list(meeting.agenda_items.select_related("presenter"))  # papers come in pack_papers
    return {
        "meeting": meeting,
        "agenda": agenda,
        "minutes_items": {item.pk for item in agenda if pack.is_minutes_item(item)},
        "previous": pack.previous_minutes(meeting),
        "papers": pack.pack_papers(meeting, confidential=can_see_confidential, url=paper_url),
        "updates": subgroup_update_status(meeting),
        **(_pack_actions_context(meeting, today) if with_actions else {"actions_apart": True}),
        "can_see_confidential": can_see_confidential,
        "today": today,
    }


def _pack_actions_context(meeting: Meeting, today: Any) -> dict[str, Any]:
    """The pack's action log: the group's open actions, overdue first."""
    from ..meeting_selectors import open_actions_for_pack

    actions = open_actions_for_pack(meeting, today)
    return {
        "overdue_actions": [a for a in actions if a.overdue_flag],  # type: ignore[attr-defined]
        "open_actions": [a for a in actions if not a.overdue_flag],  # type: ignore[attr-defined]
    }


def _pack_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    can_see_confidential = perms.can_see_confidential(request.user)
    return {
        **_pack_body_context(
            meeting,
            can_see_confidential=can_see_confidential,
            paper_url=lambda paper: request.build_absolute_uri(
                reverse("governance:paper_download", args=[paper.pk])
            ),
        ),
        "title": _("Meeting pack – %(meeting)s") % {"meeting": meeting},
        "sections": pack.sections_for(meeting, request),
    }


# What the pack's body reads: not the attendance (recorded row by row during the meeting), the
# performance figures or the Crest tracker; its action log, cached apart, reads the actions and not the
# minutes or decisions, so an action recorded during the meeting re-renders the one, a decision the other.
PACK_SCOPES = (MEETINGS, DECISIONS, REGISTERS, USERS)
PACK_ACTIONS_SCOPES = (MEETINGS, ACTIONS, REGISTERS, THEORY_OF_CHANGE, USERS)


@require_GET
def meeting_pack(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    can_see_confidential = perms.can_see_confidential(request.user)

    def body() -> str:
        context = _pack_body_context(
            meeting,
            can_see_confidential=can_see_confidential,
            paper_url=lambda paper: "",  # the page links to the download view; only the PDF prints URLs
            with_actions=False,
        )
        # Without the request, as the meeting's record (``meeting_detail``).
        return render_to_string("governance/partials/pack_body.html", {**context, "sections_apart": True})

    def actions() -> str:
        return render_to_string(
            "governance/partials/pack_actions.html", _pack_actions_context(meeting, timezone.localdate())
        )

    # The agenda, the last minutes, the updates, the group's open actions (a thousand and more at
    # scale) and the papers are the same for every reader who does, or does not, see confidential
    # papers: render them once per version of what they read (core.fragments, docs/adr/0004), so a
    # board reloading the pack through a meeting costs a cache read. The other apps' sections (the
    # performance summary, per reader) are rendered for each request, outside.
    body_html, actions_html = cached_fragments(
        Fragment("meeting-pack", PACK_SCOPES, (meeting.pk, can_see_confidential), body),
        Fragment("meeting-pack-actions", PACK_ACTIONS_SCOPES, (meeting.pk,), actions),
    )
    return render(
        request,
        "governance/pack.html",
        {
            "meeting": meeting,
            "pack_body_html": mark_safe(body_html.replace("<!--pack-actions-->", actions_html, 1)),  # noqa: S308
            "sections": pack.sections_for(meeting, request),
        },
    )


@require_GET
def meeting_pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    pdf = pack.build_pack_pdf("governance/pack_pdf.html", _pack_context(request, meeting), request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="meeting-pack-{meeting.pk}-{meeting.date:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Calendar feeds ---------------------------------------------------------------------------


def _feed(request: HttpRequest, group: PartnershipGroup | None) -> HttpResponse:
    user = (
        request.user
        if request.user.is_authenticated
        else user_for_token(request.GET.get("u"), request.GET.get("t"))
    )
    if user is None:
        return HttpResponse(
            _("Sign in, or use your personal calendar address from the meetings page."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    since = timezone.localdate().replace(day=1, month=1)
    meetings = Meeting.objects.select_related("group").filter(date__gte=since.replace(year=since.year - 1))
    if group is not None:
        meetings = meetings.filter(group=group)
    name = f"{group} meetings" if group else "SVRP Portal meetings"
    body = build_calendar(
        list(meetings.order_by("date")), name=name, site=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest) -> HttpResponse:
    return _feed(request, None)


@login_not_required
@require_GET
def calendar_group_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return _feed(request, get_object_or_404(PartnershipGroup, slug=slug))
