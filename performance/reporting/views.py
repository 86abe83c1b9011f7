"""The Home Office report pages: the list, one quarter's versions, generate, submit, correct, download.

VRU staff generate, submit and correct; board members read and download; every other role is refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.uploads import serve_upload
from governance.quarters import FinancialQuarter

from .. import permissions
from ..models import Period, Report, ReportFile, ReportVersion
from ..services import period_outstanding
from . import provenance, services
from .forms import CorrectionForm, GenerateForm
from .reconcile import reconcile_version


def _require_reader(request: HttpRequest) -> None:
    permissions.require(permissions.can_view_reports(request.user))


def _versions() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=ReportVersion.objects.select_related("submitted_by", "generated_by")
        .prefetch_related(Prefetch("files", queryset=ReportFile.objects.order_by("kind")))
        .order_by("-number"),
    )


def _report(slug: str) -> Report:
    try:
        quarter = FinancialQuarter.parse(slug)
    except ValueError as error:
        raise Http404 from error
    return get_object_or_404(
        Report.objects.prefetch_related(_versions()), year=quarter.year, quarter=quarter.quarter
    )


def _list_page(request: HttpRequest, form: GenerateForm, status: int = 200) -> HttpResponse:
    reports = Report.objects.prefetch_related(_versions()).order_by("-year", "-quarter")
    return render(
        request,
        "performance/reports/list.html",
        {"reports": reports, "form": form, "can_manage": permissions.can_manage(request.user)},
        status=status,
    )


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return _list_page(request, GenerateForm(today=timezone.localdate()))


@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    permissions.require(permissions.can_manage(request.user))
    form = GenerateForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return _list_page(request, form, status=400)
    quarter: FinancialQuarter = form.cleaned_data["quarter"]
    version = services.generate_draft(quarter.year, quarter.quarter, user=request.user)
    messages.success(
        request,
        _("Draft version %(n)s of the %(q)s report is ready for review.")
        % {"n": version.number, "q": quarter.label},
    )
    return redirect("performance:report", slug=quarter.slug)


def _detail_page(
    request: HttpRequest, report: Report, correction_form: CorrectionForm, status: int = 200
) -> HttpResponse:
    versions = list(report.versions.all())
    draft = next((v for v in versions if v.status == ReportVersion.Status.DRAFT), None)
    return render(
        request,
        "performance/reports/detail.html",
        {
            "report": report,
            "versions": versions,
            "draft": draft,
            "submitted_any": any(v.is_submitted for v in versions),
            "correction_form": correction_form,
            "can_manage": permissions.can_manage(request.user),
        },
        status=status,
    )


@require_GET
def report_detail(request: HttpRequest, slug: str) -> HttpResponse:
    _require_reader(request)
    return _detail_page(request, _report(slug), CorrectionForm())


@require_POST
def report_regenerate(request: HttpRequest, slug: str) -> HttpResponse:
    _require_reader(request)
    permissions.require(permissions.can_manage(request.user))
    report = _report(slug)
    version = services.generate_draft(report.year, report.quarter, user=request.user)
    messages.success(
        request, _("Draft version %(n)s is regenerated from the latest records.") % {"n": version.number}
    )
    return redirect("performance:report", slug=report.slug)


@require_POST
def report_correct(request: HttpRequest, slug: str) -> HttpResponse:
    _require_reader(request)
    permissions.require(permissions.can_manage(request.user))
    report = _report(slug)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, report, form, status=400)
    version = services.generate_draft(
        report.year, report.quarter, user=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request, _("Draft version %(n)s, a correction, is ready for review.") % {"n": version.number}
    )
    return redirect("performance:report", slug=report.slug)


def report_submit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Asks first (what submitting does, which figures stay unverified or missing), then submits."""
    _require_reader(request)
    permissions.require(permissions.can_manage(request.user))
    report = _report(slug)
    version = get_object_or_404(ReportVersion, report=report, number=number)
    reason_error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            services.report_submit(acting_user=request.user, version=version, reason=reason)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "reason" in error.error_dict:
                reason_error = " ".join(error.message_dict["reason"])
            else:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("performance:report", slug=report.slug)
        else:
            messages.success(
                request,
                _("Version %(n)s is submitted: its files are frozen and the quarter's figures are locked.")
                % {"n": version.number},
            )
            return redirect("performance:report", slug=report.slug)
    if version.status != ReportVersion.Status.DRAFT:
        messages.info(request, _("Version %(n)s is already submitted.") % {"n": version.number})
        return redirect("performance:report", slug=report.slug)
    period = Period.objects.for_quarter(report.fq).first()
    return render(
        request,
        "performance/reports/submit_confirm.html",
        {
            "report": report,
            "version": version,
            "period": period,
            "outstanding": period_outstanding(period=period) if period else None,
            "differences": reconcile_version(version),
            "reason": request.POST.get("reason", "") if request.method == "POST" else "",
            "reason_error": reason_error,
        },
        status=400 if reason_error else 200,
    )


@require_GET
def report_download(request: HttpRequest, slug: str, number: int, kind: str) -> FileResponse:
    _require_reader(request)
    try:
        quarter = FinancialQuarter.parse(slug)
    except ValueError as error:
        raise Http404 from error
    record = get_object_or_404(
        ReportFile.objects.select_related("version__report"),
        version__report__year=quarter.year,
        version__report__quarter=quarter.quarter,
        version__number=number,
        kind=kind,
    )
    return serve_upload(record.file, record.download_name)


@require_GET
def report_sources(request: HttpRequest, slug: str, number: int, row: int | None = None) -> HttpResponse:
    """Where each figure of a version comes from, as its stored XLSX froze it; one figure's records."""
    _require_reader(request)
    report = _report(slug)
    version = get_object_or_404(ReportVersion, report=report, number=number)
    sources = provenance.stored_sources(version)
    if sources is None:
        raise Http404(_("This version was made before the report carried its sources."))
    context = {"report": report, "version": version, "sources": sources}
    if row is None:
        return render(request, "performance/reports/sources.html", context)
    if not 1 <= row <= len(sources):
        raise Http404
    source = sources[row - 1]
    return render(
        request,
        "performance/reports/figure_sources.html",
        {**context, "source": source, "records": provenance.record_links(source.keys)},
    )
