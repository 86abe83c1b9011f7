"""The action log: list with filters and exports, my actions, one action with its updates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import apply_service_error, form_page, form_saved
from core.fragments import cached_fragment
from core.spreadsheets import csv_response, xlsx_response

from .. import permissions as perms
from ..action_links import linked_to_action
from ..content_scopes import ACTIONS, MEETINGS, REGISTERS, THEORY_OF_CHANGE
from ..history import history_entries
from ..meeting_forms import ActionFilterForm, ActionForm, ActionUpdateForm
from ..meeting_selectors import OVERDUE_FIRST, OverdueFirst
from ..models import (
    Action,
    ActionUpdate,
)
from ..rows import action_table_rows
from ..services import actions as services
from .meetings import _meeting

EXPORT_COLUMNS = (
    _("Reference"),
    _("Action"),
    _("Owner"),
    _("Owning organisation"),
    _("Due date"),
    _("Status"),
    _("Overdue"),
    _("Raised at"),
    _("Theory of Change activity"),
    _("Completed on"),
)


def filtered_actions(request: HttpRequest) -> tuple[ActionFilterForm, QuerySet[Action]]:
    today = timezone.localdate()
    form = ActionFilterForm(request.GET or None)
    actions = Action.objects.for_list().with_overdue(today)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == "open_all":
            actions = actions.open()
        elif data["status"]:
            actions = actions.filter(status=data["status"])
        if data["organisation"]:
            actions = actions.filter(organisation=data["organisation"])
        if data["toc_activity"]:
            actions = actions.filter(toc_activity=data["toc_activity"])
        if data["overdue"]:
            actions = actions.filter(Q(overdue_flag=True))
    return form, actions.order_by(OVERDUE_FIRST, "due_date", "reference")


def _row(action: Action) -> list[Any]:
    return [
        action.reference,
        action.description,
        action.owner.full_name,
        action.organisation.name,
        action.due_date,
        action.get_status_display(),
        _("Yes") if action.overdue_flag else _("No"),  # type: ignore[attr-defined]
        str(action.meeting) if action.meeting else "",
        str(action.toc_activity) if action.toc_activity else "",
        action.completed_on,
    ]


def _export_rows(request: HttpRequest) -> Iterator[list[Any]]:
    _form, actions = filtered_actions(request)
    yield list(EXPORT_COLUMNS)
    for action in actions.iterator(chunk_size=500):
        yield _row(action)


# What the action log reads: actions, their owners and organisations, the meetings that raised them
# and the Theory of Change activities they serve.
LOG_SCOPES = (ACTIONS, MEETINGS, REGISTERS, THEORY_OF_CHANGE)


@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)

    def log_html() -> str:
        form, actions = filtered_actions(request)
        # Each filter's options once, as a list: rendering a ModelChoiceField counts its queryset and
        # then reads it through a server-side cursor on PostgreSQL (four round trips where one does).
        for name in ("organisation", "toc_activity"):
            field = cast(forms.ModelChoiceField, form.fields[name])
            options, queryset = field.iterator(field), field.queryset
            if queryset is not None:
                field.choices = [("", field.empty_label), *(options.choice(o) for o in queryset.all())]
        # Sort and page on the action table alone, then load the page's 50 rows with their joins:
        # sorting every action joined to its owner, organisation and meeting cost most of the page at
        # 20,000 actions.
        page = Paginator(OverdueFirst(actions, timezone.localdate()), 50).get_page(request.GET.get("page"))
        # The page's fifty rows, as the action table reads them: rows, not four records each.
        page.object_list = action_table_rows(  # type: ignore[assignment]
            actions.filter(pk__in=list(page.object_list)).order_by(OVERDUE_FIRST, "due_date", "reference")
        )
        # Without the request: shared by every viewer (no context processors, nothing of the viewer's).
        return render_to_string(
            "governance/partials/action_log.html",
            {"form": form, "page": page, "query": query.urlencode()},
        )

    # The filters' options and fifty rows cost more to read and render than the rest of the page, and
    # the page is the same for every viewer: render each page of each filter once per content version
    # (core.fragments, docs/adr/0004). Overdue depends on the date, which is in the key.
    log = cached_fragment(
        "action-log", scopes=LOG_SCOPES, vary=(sorted(request.GET.lists()),), render=log_html
    )
    return render(request, "governance/action_list.html", {"log_html": log})


def _export_name(extension: str) -> str:
    return f"actions-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_GET
def action_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(_export_name("csv"), _export_rows(request))


@require_GET
def action_export_xlsx(request: HttpRequest) -> FileResponse:
    return xlsx_response(_export_name("xlsx"), [(str(_("Actions")), _export_rows(request))])


@require_GET
def action_mine(request: HttpRequest) -> HttpResponse:
    person = perms.person_of(request.user)
    today = timezone.localdate()
    actions: list[Action] = []
    if person is not None:
        actions = list(
            Action.objects.filter(owner=person)
            .for_list()
            .with_overdue(today)
            .order_by(OVERDUE_FIRST, "status", "due_date")
        )
    return render(
        request,
        "governance/action_mine.html",
        {
            "person": person,
            "open_actions": [(a, update_form(a)) for a in actions if a.is_open],
            "done_actions": [a for a in actions if not a.is_open],
            "today": today,
        },
    )


def update_form(action: Action, data: Any = None) -> ActionUpdateForm:
    """One form per action, its own prefix, so several sit on one page with unique ids."""
    return ActionUpdateForm(
        data,
        prefix=f"a{action.pk}",
        initial={"status": action.status, "date": timezone.localdate()},
    )


def _action(reference: str) -> Action:
    return get_object_or_404(
        Action.objects.for_list().with_overdue(timezone.localdate()), reference=reference
    )


def action_detail(request: HttpRequest, reference: str) -> HttpResponse:
    action = _action(reference)
    can_edit = perms.can_edit_action(request.user, action)
    form = update_form(action)
    context: dict[str, Any] = {
        "action": action,
        "updates": list(ActionUpdate.objects.filter(action=action).select_related("author")),
        "can_edit": can_edit,
        "can_manage": perms.can_edit_all_actions(request.user),
        "form": form if can_edit else None,
        "today": timezone.localdate(),
        "linked": linked_to_action(action),
    }
    if perms.can_see_history(request.user):
        context["history"] = history_entries(Action.history.filter(id=action.pk))
    return render(request, "governance/action_detail.html", context)


@require_POST
def action_update(request: HttpRequest, reference: str) -> HttpResponse:
    """Log an update; an htmx request gets the updated panel back, a plain post a redirect."""
    action = _action(reference)
    perms.require(perms.can_edit_action(request.user, action))
    form = update_form(action, request.POST)
    if form.is_valid():
        try:
            services.action_update(acting_user=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Update added to %(ref)s.") % {"ref": action.reference})
            back = request.POST.get("next", "")
            if back == reverse("governance:actions_mine"):
                return redirect(back)
            return redirect(action)
    return render(
        request,
        "governance/action_update_page.html",
        {"action": action, "form": form, "next": request.POST.get("next", "")},
        status=422,
    )


def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    perms.require(perms.can_edit_all_actions(request.user))
    meeting = _meeting(pk)
    form = ActionForm(request.POST or None)
    if saved := form_saved(
        request,
        form,
        lambda: services.action_create(acting_user=request.user, meeting=meeting, **form.cleaned_data),
    ):
        action = saved.value
        messages.success(request, _("Action %(ref)s added.") % {"ref": action.reference})
        return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Add an action"),
        button=_("Add action"),
        back=meeting.get_absolute_url(),
        lead=_("Raised at %(meeting)s.") % {"meeting": meeting},
    )


def action_edit(request: HttpRequest, reference: str) -> HttpResponse:
    perms.require(perms.can_edit_all_actions(request.user))
    action = _action(reference)
    form = ActionForm(
        request.POST or None,
        initial={
            "description": action.description,
            "owner": action.owner,
            "organisation": action.organisation,
            "due_date": action.due_date,
            "raised_on": action.raised_on
            if action.meeting is None or action.raised_on != action.meeting.date
            else None,
            "toc_activity": action.toc_activity,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organisation"] = data["organisation"] or action.organisation
        try:
            services.action_edit(acting_user=request.user, action=action, **data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Action %(ref)s saved.") % {"ref": action.reference})
            return redirect(action)
    return form_page(
        request,
        form,
        title=_("Edit action %(ref)s") % {"ref": action.reference},
        button=_("Save"),
        back=action.get_absolute_url(),
    )
