"""The Crest tracker's pages. Thin: permissions from ``permissions``, writes through ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import hooks
from core.forms import apply_service_error, form_page, form_saved
from core.fragments import cached_fragment
from core.uploads import serve_upload
from governance.content_scopes import ACTIONS, REGISTERS, THEORY_OF_CHANGE
from governance.models import RAG, Action, Organisation
from governance.register_selectors import current_terms_of_reference

from . import permissions, services, spreadsheet
from .content_scopes import CREST
from .forms import (
    BulkUpdateForm,
    EvidenceFileForm,
    LinkActionForm,
    MarkAchievedForm,
    ProgressForm,
    RecommendationForm,
    TocLinksForm,
)
from .history import history_rows
from .models import EvidenceFile, Recommendation
from .tracker_rows import tracker_records, tracker_rows


def _get_recommendation(request: HttpRequest, number: str) -> Recommendation:
    """The recommendation by its number; the newest report's when later reviews reuse a number."""
    queryset = Recommendation.objects.current().select_related(
        "report", "owner_person__organisation", "owner_organisation", "signed_off_at_meeting__group"
    )
    report = request.GET.get("report")
    if report:
        queryset = queryset.filter(report__short_name=report)
    recommendation = queryset.filter(number=number).order_by("-report__published_on").first()
    if recommendation is None:
        raise Http404
    return recommendation


def _action_href(action: Action) -> str | None:
    # The action log's pages belong to the meetings work; link when they exist.
    try:
        return action.get_absolute_url()
    except NoReverseMatch:
        return None


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    queryset = Recommendation.objects.for_tracker()
    chosen = {key: request.GET.get(key, "") for key in ("status", "rag", "organisation")}
    if chosen["status"] in Recommendation.Status.values:
        queryset = queryset.filter(status=chosen["status"])
    else:
        chosen["status"] = ""
    if chosen["rag"] == "none":
        queryset = queryset.filter(rag="")
    elif chosen["rag"] in RAG.values:
        queryset = queryset.filter(rag=chosen["rag"])
    else:
        chosen["rag"] = ""
    if chosen["organisation"]:
        queryset = queryset.filter(owner_organisation__slug=chosen["organisation"])
    return queryset, chosen


# What the tracker reads: the recommendations, their owners and the actions linked to them.
TRACKER_SCOPES = (CREST, ACTIONS, REGISTERS, THEORY_OF_CHANGE)


@require_GET
def tracker(request: HttpRequest) -> HttpResponse:
    permissions.require_view(request.user)
    queryset, chosen = _filtered(request)
    can_edit = permissions.can_edit_tracker(request.user)

    def content() -> str:
        # A hundred and more rows read as rows, their actions counted in the database.
        recommendations = tracker_records(queryset, timezone.localdate())
        organisations = (
            Organisation.objects.current()
            .filter(Q(crest_recommendations__isnull=False))
            .only("name", "slug")
            .distinct()
            .order_by("name")
        )
        context = {
            "recommendations": recommendations,
            # A hundred rows: one string a row, not a template per cell.
            "rows_html": tracker_rows(recommendations),
            "chosen": chosen,
            "statuses": Recommendation.Status.choices,
            "rags": RAG.choices,
            "organisations": organisations,
            "filtered": any(chosen.values()),
            "query": request.GET.urlencode(),
            "can_edit": can_edit,
        }
        # Without the request: shared by the viewers of a role (no context processors, nothing else of
        # the viewer's).
        return render_to_string("crest/partials/tracker.html", context)

    # The filters' options and a hundred rows cost far more than the rest of the page: render them
    # once per content version for each filter (core.fragments, docs/adr/0004), with or without the
    # spreadsheet link of those who may edit.
    tracker_html = cached_fragment(
        "crest-tracker",
        scopes=TRACKER_SCOPES,
        vary=(sorted(chosen.items()), request.GET.urlencode(), can_edit),
        render=content,
    )
    return render(request, "crest/tracker.html", {"tracker_html": tracker_html})


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    permissions.require_view(request.user)
    queryset, _chosen = _filtered(request)
    return spreadsheet.csv_response(queryset.iterator(chunk_size=500))


@require_GET
def export_xlsx(request: HttpRequest) -> FileResponse:
    permissions.require_view(request.user)
    queryset, _chosen = _filtered(request)
    return spreadsheet.xlsx_response(queryset.iterator(chunk_size=500))


@require_http_methods(["GET", "POST"])
def bulk_update(request: HttpRequest) -> HttpResponse:
    permissions.require_edit(request.user)
    form = BulkUpdateForm(request.POST or None, request.FILES or None)
    row_errors: list[spreadsheet.RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = spreadsheet.bulk_update(acting_user=request.user, upload=form.cleaned_data["file"])
        except spreadsheet.SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            if result.errors:
                row_errors = result.errors
                form.add_error(
                    "file",
                    _("Nothing was changed: correct the rows listed and upload the spreadsheet again."),
                )
            else:
                messages.success(
                    request,
                    _(
                        "Tracker updated. Recommendations changed: %(updated)s. "
                        "Progress entries added: %(progress)s."
                    )
                    % {"updated": result.updated, "progress": result.progress_added},
                )
                return redirect("crest:tracker")
    return render(
        request,
        "crest/bulk_update.html",
        {
            "form": form,
            "row_errors": row_errors,
            "columns": spreadsheet.COLUMNS,
            "help": spreadsheet.UPLOAD_HELP,
        },
    )


@require_GET
def detail(request: HttpRequest, number: str) -> HttpResponse:
    permissions.require_view(request.user)
    rec = _get_recommendation(request, number)
    today = timezone.localdate()
    actions = list(rec.actions.for_list().with_overdue(today).order_by("due_date", "reference"))
    for action in actions:
        action.href = _action_href(action)  # type: ignore[attr-defined]
    return render(
        request,
        "crest/detail.html",
        {
            "rec": rec,
            "overdue": rec.is_overdue(today),
            "progress": rec.progress_entries.select_related("author"),
            "evidence_files": rec.evidence_files.all(),
            "portal_evidence": [
                item for provider in hooks.get_hooks(hooks.RECOMMENDATION_EVIDENCE) for item in provider(rec)
            ],
            "actions": actions,
            "toc_activities": rec.toc_activities.all(),
            "terms": current_terms_of_reference() if rec.status == Recommendation.Status.ACHIEVED else None,
            "history": history_rows(rec) if permissions.can_view_history(request.user) else None,
            "can_edit": permissions.can_edit_tracker(request.user),
        },
    )


def _form_page(
    request: HttpRequest, rec: Recommendation, form: Any, title: str, button: str, **extra: Any
) -> HttpResponse:
    """A form about one recommendation: the portal's form page with the recommendation above it."""
    back = rec.get_absolute_url()
    return form_page(
        request, form, title=title, button=button, back=back, template="crest/form.html", rec=rec, **extra
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, number: str) -> HttpResponse:
    permissions.require_edit(request.user)
    rec = _get_recommendation(request, number)
    form = RecommendationForm(request.POST or None, instance=Recommendation.objects.get(pk=rec.pk))
    if form_saved(
        request,
        form,
        lambda: services.recommendation_update(
            acting_user=request.user,
            recommendation=rec,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        ),
    ):
        messages.success(request, _("Recommendation %(number)s updated.") % {"number": rec.number})
        return redirect(rec)
    return _form_page(
        request, rec, form, _("Edit recommendation %(number)s") % {"number": rec.number}, _("Save changes")
    )


@require_http_methods(["GET", "POST"])
def record_progress(request: HttpRequest, number: str) -> HttpResponse:
    permissions.require_edit(request.user)
    rec = _get_recommendation(request, number)
    initial = {"date": timezone.localdate(), "rag": rec.rag or None}
    form = ProgressForm(request.POST or None, initial=initial)
    if form_saved(
        request,
        form,
        lambda: services.recommendation_record_progress(
            acting_user=request.user, recommendation=rec, **form.cleaned_data
        ),
    ):
        messages.success(
            request, _("Progress recorded on recommendation %(number)s.") % {"number": rec.number}
        )
        return redirect(rec)
    return _form_page(
        request,
        rec,
        form,
        _("Record progress on recommendation %(number)s") % {"number": rec.number},
        _("Record progress"),
    )


@require_http_methods(["GET", "POST"])
def link_action(request: HttpRequest, number: str) -> HttpResponse:
    permissions.require_edit(request.user)
    rec = _get_recommendation(request, number)
    form = LinkActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["reference"]
        try:
            services.recommendation_link_action(acting_user=request.user, recommendation=rec, action=action)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("Action %(ref)s linked to recommendation %(number)s.")
                % {"ref": action.reference, "number": rec.number},
            )
            return redirect(rec)
    return _form_page(
        request,
        rec,
        form,
        _("Link an action to recommendation %(number)s") % {"number": rec.number},
        _("Link action"),
    )


@require_http_methods(["GET", "POST"])
def toc_links(request: HttpRequest, number: str) -> HttpResponse:
    """Which Theory of Change activities the recommendation serves: the whole set, saved at once."""
    permissions.require_edit(request.user)
    rec = _get_recommendation(request, number)
    # Bound on any POST: with every box unticked nothing but the CSRF token is posted.
    form = TocLinksForm(
        request.POST if request.method == "POST" else None,
        initial={"activities": [a.pk for a in rec.toc_activities.all()]},
    )
    if saved := form_saved(
        request,
        form,
        lambda: services.recommendation_set_toc_activities(
            acting_user=request.user, recommendation=rec, activities=form.cleaned_data["activities"]
        ),
    ):
        change = saved.value
        codes = ", ".join(a.code for a in change.linked)
        if not change.changed:
            messages.info(request, _("No change: the links were already those."))
        elif codes:
            messages.success(
                request,
                _("Recommendation %(number)s now serves Theory of Change %(codes)s.")
                % {"number": rec.number, "codes": codes},
            )
        else:
            messages.success(
                request,
                _("Recommendation %(number)s is no longer linked to any Theory of Change activity.")
                % {"number": rec.number},
            )
        return redirect(rec)
    return render(request, "crest/toc_links.html", {"rec": rec, "form": form})


@require_POST
def unlink_action(request: HttpRequest, number: str, reference: str) -> HttpResponse:
    permissions.require_edit(request.user)
    rec = _get_recommendation(request, number)
    action = get_object_or_404(rec.actions.all(), reference=reference)
    services.recommendation_unlink_action(acting_user=request.user, recommendation=rec, action=action)
    messages.success(request, _("Action %(ref)s is no longer linked.") % {"ref": action.reference})
    return redirect(rec)


@require_http_methods(["GET", "POST"])
def upload_evidence(request: HttpRequest, number: str) -> HttpResponse:
    permissions.require_edit(request.user)
    rec = _get_recommendation(request, number)
    form = EvidenceFileForm(request.POST or None, request.FILES or None)
    if form_saved(
        request,
        form,
        lambda: services.recommendation_add_evidence_file(
            acting_user=request.user,
            recommendation=rec,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        ),
    ):
        messages.success(request, _("Evidence file uploaded."))
        return redirect(rec)
    return _form_page(
        request,
        rec,
        form,
        _("Upload evidence for recommendation %(number)s") % {"number": rec.number},
        _("Upload file"),
        multipart=True,
    )


@require_GET
def download_evidence(request: HttpRequest, number: str, pk: int) -> Any:
    permissions.require_view(request.user)
    rec = _get_recommendation(request, number)
    evidence = get_object_or_404(EvidenceFile, pk=pk, recommendation=rec)
    return serve_upload(evidence.file, evidence.original_name)


@require_http_methods(["GET", "POST"])
def mark_achieved(request: HttpRequest, number: str) -> HttpResponse:
    permissions.require_edit(request.user)
    rec = _get_recommendation(request, number)
    if rec.status == Recommendation.Status.ACHIEVED:
        messages.info(request, _("Recommendation %(number)s is already achieved.") % {"number": rec.number})
        return redirect(rec)
    form = MarkAchievedForm(
        request.POST or None, initial={"evidence": rec.evidence, "achieved_on": timezone.localdate()}
    )
    if saved := form_saved(
        request,
        form,
        lambda: services.recommendation_mark_achieved(
            acting_user=request.user, recommendation=rec, **form.cleaned_data
        ),
    ):
        terms = saved.value
        if terms is None:
            messages.success(
                request,
                _(
                    "Recommendation %(number)s is achieved. "
                    "There is no approved Terms of Reference to flag for revision."
                )
                % {"number": rec.number},
            )
        else:
            messages.success(
                request,
                _(
                    "Recommendation %(number)s is achieved. "
                    "The Terms of Reference (version %(version)s) are flagged for revision."
                )
                % {"number": rec.number, "version": terms.version},
            )
        return redirect(rec)
    return _form_page(
        request,
        rec,
        form,
        _("Mark recommendation %(number)s as achieved") % {"number": rec.number},
        _("Mark as achieved"),
        evidence_files=rec.evidence_files.all(),
        achieving=True,
    )


@login_not_required
@require_GET
def published(request: HttpRequest) -> HttpResponse:
    """The public list: only publishable recommendations; number, text, status and RAG, nothing else."""
    recommendations = (
        Recommendation.objects.publishable()
        .select_related("report")
        .only(
            "number", "text", "status", "rag", "report__title", "report__short_name", "report__published_on"
        )
    )
    return render(request, "crest/published.html", {"recommendations": recommendations})
