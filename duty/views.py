"""The Duty's pages: thin; permissions in ``permissions``, rules in ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import form_page, form_saved
from core.parameters import whole_number
from core.uploads import serve_upload

from . import permissions, services
from .forms import (
    AcknowledgeForm,
    ApproveForm,
    ConcordatForm,
    DisseminationForm,
    DocumentForm,
    MilestoneForm,
    PriorityForm,
    StrategyForm,
)
from .models import Concordat, DeliveryPlan, Dissemination, DutyDocument, Milestone, Strategy
from .selectors import concordat_grid, plan_summaries


def _form_page(request: HttpRequest, form: Any, **kwargs: Any) -> HttpResponse:
    """A Duty form page: the one form page (``core.forms.form_page``), with a caption naming the record."""
    return form_page(request, form, template="duty/form.html", **kwargs)


def _download_name(document: DutyDocument) -> str:
    return f"{document.get_kind_display()} v{document.version}.{document.file_type}"


# --- The Duty's documents and the strategies register ---------------------------------------------


@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    permissions.require_view(request.user)
    versions = list(
        DutyDocument.objects.select_related("decision__meeting").prefetch_related(
            "priorities__toc_activities", "priorities__strategies"
        )
    )
    current = {doc.pk for doc in DutyDocument.objects.current_versions()}
    return render(
        request,
        "duty/documents.html",
        {
            "kinds": [
                (label, [d for d in versions if d.kind == kind]) for kind, label in DutyDocument.Kind.choices
            ],
            "current": current,
            "strategies": Strategy.objects.filter(archived_at__isnull=True),
            "today": timezone.localdate(),
            "can_edit": permissions.can_edit(request.user),
        },
    )


@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    permissions.require_view(request.user)
    document = get_object_or_404(DutyDocument, pk=pk)
    return serve_upload(document.file, _download_name(document))


@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest) -> HttpResponse:
    permissions.require_edit(request.user)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if saved := form_saved(
        request, form, lambda: services.document_add(acting_user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("%(document)s added as a draft.") % {"document": saved.value})
        return redirect("duty:documents")
    return _form_page(
        request,
        form,
        title=_("Add a version"),
        button=_("Add the draft"),
        back=reverse("duty:documents"),
        multipart=True,
    )


@require_http_methods(["GET", "POST"])
def document_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approval publishes the version: the decision is chosen, then confirmed on a second page."""
    permissions.require_edit(request.user)
    document = get_object_or_404(DutyDocument, pk=pk, status=DutyDocument.Status.DRAFT)
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            return render(
                request,
                "duty/approve_confirm.html",
                {"document": document, "decision": form.cleaned_data["decision"]},
            )
        if form_saved(
            request,
            form,
            lambda: services.document_approve(
                acting_user=request.user, document=document, decision=form.cleaned_data["decision"]
            ),
        ):
            messages.success(request, _("%(document)s approved and published.") % {"document": document})
            return redirect("duty:documents")
    return _form_page(
        request,
        form,
        title=_("Approve %(document)s") % {"document": document},
        button=_("Continue"),
        back=reverse("duty:documents"),
    )


@require_http_methods(["GET", "POST"])
def priority_add(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_edit(request.user)
    document = get_object_or_404(DutyDocument, pk=pk, kind=DutyDocument.Kind.RESPONSE_STRATEGY)
    form = PriorityForm(request.POST or None)
    if form_saved(
        request,
        form,
        lambda: services.priority_add(acting_user=request.user, document=document, **form.cleaned_data),
    ):
        return redirect("duty:documents")
    return _form_page(
        request,
        form,
        title=_("Add a priority to %(document)s") % {"document": document},
        button=_("Add the priority"),
        back=reverse("duty:documents"),
    )


@require_http_methods(["GET", "POST"])
def strategy_add(request: HttpRequest) -> HttpResponse:
    permissions.require_edit(request.user)
    form = StrategyForm(request.POST or None)
    if form_saved(
        request, form, lambda: services.strategy_create(acting_user=request.user, **form.cleaned_data)
    ):
        return redirect(reverse("duty:documents") + "#strategies")
    return _form_page(
        request, form, title=_("Add a strategy"), button=_("Add the strategy"), back=reverse("duty:documents")
    )


# --- The concordat ---------------------------------------------------------------------------------


@require_GET
def concordat(request: HttpRequest) -> HttpResponse:
    permissions.require_view(request.user)
    versions = list(Concordat.objects.all())
    chosen = versions[0] if versions else None
    if versions and (number := whole_number(request.GET.get("version"), minimum=1)) is not None:
        chosen = next((c for c in versions if c.version == number), chosen)
    return render(
        request,
        "duty/concordat.html",
        {
            "versions": versions,
            "grid": concordat_grid(chosen) if chosen else None,
            "chases": chosen.chases.select_related("requested_by")[:5] if chosen else [],
            "can_edit": permissions.can_edit(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def concordat_add(request: HttpRequest) -> HttpResponse:
    permissions.require_edit(request.user)
    form = ConcordatForm(request.POST or None)
    if form_saved(
        request, form, lambda: services.concordat_add(acting_user=request.user, **form.cleaned_data)
    ):
        return redirect("duty:concordat")
    return _form_page(
        request,
        form,
        title=_("Add a concordat version"),
        button=_("Add the version"),
        back=reverse("duty:concordat"),
    )


@require_http_methods(["GET", "POST"])
def dissemination_record(request: HttpRequest, version: int) -> HttpResponse:
    permissions.require_edit(request.user)
    chosen = get_object_or_404(Concordat, version=version)
    form = DisseminationForm(request.POST or None)
    if form_saved(
        request,
        form,
        lambda: services.dissemination_record(
            acting_user=request.user, concordat=chosen, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Sending recorded."))
        return redirect(reverse("duty:concordat") + f"?version={chosen.version}")
    return _form_page(
        request,
        form,
        title=_("Record sending %(concordat)s") % {"concordat": chosen},
        button=_("Save"),
        back=reverse("duty:concordat"),
    )


@require_http_methods(["GET", "POST"])
def dissemination_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_edit(request.user)
    dissemination = get_object_or_404(
        Dissemination.objects.select_related("concordat", "area", "authority"), pk=pk
    )
    form = AcknowledgeForm(request.POST or None)
    if form_saved(
        request,
        form,
        lambda: services.dissemination_acknowledge(
            acting_user=request.user, dissemination=dissemination, **form.cleaned_data
        ),
    ):
        return redirect(reverse("duty:concordat") + f"?version={dissemination.concordat.version}")
    return _form_page(
        request,
        form,
        title=_("Record the acknowledgement"),
        button=_("Save"),
        back=reverse("duty:concordat"),
        caption=str(dissemination),
    )


@require_http_methods(["GET", "POST"])
def concordat_chase(request: HttpRequest, version: int) -> HttpResponse:
    """Chasing sends e-mails: the page says how many and asks before it does."""
    permissions.require_edit(request.user)
    chosen = get_object_or_404(Concordat, version=version)
    outstanding = chosen.disseminations.filter(acknowledged_on__isnull=True).select_related(
        "area", "authority"
    )
    if request.method == "POST":
        try:
            services.concordat_chase(acting_user=request.user, concordat=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The chase is on its way."))
        return redirect(reverse("duty:concordat") + f"?version={chosen.version}")
    return render(request, "duty/chase_confirm.html", {"concordat": chosen, "outstanding": outstanding})


# --- Delivery plans --------------------------------------------------------------------------------


@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    permissions.require_view(request.user)
    return render(
        request,
        "duty/plans.html",
        {"summaries": plan_summaries(timezone.localdate()), "can_edit": permissions.can_edit(request.user)},
    )


@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, plan_pk: int, pk: int | None = None) -> HttpResponse:
    permissions.require_edit(request.user)
    plan = get_object_or_404(DeliveryPlan, pk=plan_pk)
    milestone = get_object_or_404(Milestone, pk=pk, plan=plan) if pk is not None else None
    form = MilestoneForm(request.POST or None, instance=milestone, plan=plan)

    def save() -> Milestone:
        data = dict(form.cleaned_data)
        toc = data.pop("toc_activities")
        return services.milestone_save(
            acting_user=request.user, plan=plan, milestone=milestone, toc_activities=toc, **data
        )

    if form_saved(request, form, save):
        return redirect("duty:plans")
    title = (
        _("Change milestone %(ref)s") % {"ref": milestone.reference} if milestone else _("Add a milestone")
    )
    return _form_page(
        request, form, title=title, button=_("Save"), back=reverse("duty:plans"), caption=str(plan)
    )


# --- Published --------------------------------------------------------------------------------------


@login_not_required
@require_GET
def published(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "duty/published.html",
        {"documents": DutyDocument.objects.approved().select_related("decision__meeting")},
    )


@login_not_required
@require_GET
def published_file(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(DutyDocument, pk=pk, status=DutyDocument.Status.APPROVED)
    return serve_upload(document.file, _download_name(document))
