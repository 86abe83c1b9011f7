"""Thin views of the framework: permission check, form, service, template."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.content_version import USERS
from core.forms import form_saved
from core.fragments import cached_fragment
from core.parameters import whole_number
from core.roles import Role, has_role
from core.spreadsheets import csv_response
from governance.history import history_entries
from governance.quarters import FinancialQuarter

from . import completeness, permissions, selectors, services
from .content_scopes import FROM_ATTENDANCE, FROM_ATTENDANCE_SCOPES, dashboard_scopes, measure_scopes
from .forms import (
    CorrectionForm,
    FigureForm,
    GrantReturnForm,
    ReturnsQuarterForm,
    SurveyAnswerForm,
    SurveyOpenForm,
    UploadForm,
)
from .models import Area, Figure, Grant, Measure, Period, SurveyInvitation, SurveyResponse, SurveyRound
from .suppression import suppress


def _restricted(request: HttpRequest) -> bool:
    return not permissions.can_see_small_numbers(request.user)


_APART = re.compile(r"<!--dashboard-(row|measure):([\w.]+)-->")
_SPLIT = "<!--dashboard-split-->"


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_dashboard(request.user))
    today = timezone.localdate()
    restricted = _restricted(request)

    def summaries(template: str, **which: Any) -> Callable[[], str]:
        return lambda: render_to_string(
            template,
            {"summaries": selectors.dashboard(today=today, restricted=restricted, **which)},
            request=request,
        )

    apart: dict[str, tuple[str, str]] = {}

    def piece(match: re.Match[str]) -> str:
        which, code = match[1], match[2]
        if code not in apart:
            row, _split, section = cached_fragment(
                "dashboard-measure",
                scopes=FROM_ATTENDANCE_SCOPES,
                vary=(code, restricted, "row-and-section"),
                render=summaries("performance/partials/dashboard_apart.html", only={code}),
            ).partition(_SPLIT)
            apart[code] = (row, section)
        return apart[code][0 if which == "row" else 1]

    # Every measure's derived figures, changes, RAG and server-rendered chart cost several times the
    # rest of the page: computed once per version of what they read (core.fragments, ADR 0004), for
    # those who see small numbers and for those who do not. The date is in the key. The measures read
    # from the attendance register are cached apart (their row of the summary table and their
    # section, in one fragment): recording attendance at a meeting re-renders those, not every
    # measure's figures and chart.
    html = cached_fragment(
        "performance-dashboard",
        scopes=dashboard_scopes(),
        vary=(restricted, "with-summary-table"),
        render=summaries("performance/partials/dashboard_summaries.html", apart=FROM_ATTENDANCE),
    )
    return render(
        request,
        "performance/dashboard.html",
        {
            "summaries_html": mark_safe(_APART.sub(piece, html)),  # noqa: S308 - our own fragments
            "quarter": selectors.collection_quarter(today),
            "restricted": restricted,
        },
    )


@require_GET
def measure_detail(request: HttpRequest, code: str) -> HttpResponse:
    permissions.require(permissions.can_view_dashboard(request.user))
    measure = get_object_or_404(Measure.objects.current().select_related("outcome", "data_source"), code=code)
    restricted = _restricted(request)
    can_correct = permissions.can_manage(request.user)

    def detail() -> str:
        context = {
            "measure": measure,
            "detail": selectors.measure_detail(
                measure=measure, today=timezone.localdate(), restricted=restricted
            ),
            "can_correct": can_correct,
        }
        return render_to_string("performance/partials/measure_detail.html", context, request=request)

    # Ten years of figures by area and age band, with a chart per band: once per content version.
    detail_html = cached_fragment(
        "measure-detail",
        scopes=(*measure_scopes(measure), USERS),
        vary=(measure.pk, restricted, can_correct),
        render=detail,
    )
    return render(
        request,
        "performance/measure.html",
        {"measure": measure, "detail_html": detail_html, "restricted": restricted},
    )


@require_GET
def publication_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every reported, verified figure as CSV, safe to share outside the board (small counts hidden)."""
    permissions.require(permissions.can_view_dashboard(request.user))
    areas = list(Area.objects.all())
    figures = (
        Figure.objects.verified()
        .select_related("measure", "period", "area")
        .order_by("measure__order", "period__year", "period__quarter", "age_band", "area__order")
    )

    def rows() -> Iterator[list[Any]]:
        yield ["measure", "period", "age_band", *[a.name for a in areas]]
        group: dict[int, Any] = {}
        current: tuple[Any, ...] | None = None
        for figure in figures.iterator(chunk_size=500):
            key = (figure.measure, figure.period, figure.age_band)
            if current is not None and key[:3] != current[:3]:
                yield _publication_row(current, group, areas)
                group = {}
            current = key
            group[figure.area_id] = figure.value
        if current is not None:
            yield _publication_row(current, group, areas)

    return csv_response("svrp-performance-figures.csv", rows())


def _publication_row(key: tuple[Any, ...], values: dict[int, Any], areas: list[Area]) -> list[Any]:
    measure, period, band = key
    if measure.is_count and not measure.derived:
        total = next((a for a in areas if a.is_total), None)
        parts = {a.pk: values.get(a.pk) for a in areas if not a.is_total}
        result = suppress(parts, values.get(total.pk) if total else None, has_total=total is not None)
        cells = {**result.components, **({total.pk: result.total} if total and result.total else {})}
        shown: list[Any] = [cells[a.pk].display if a.pk in cells else "" for a in areas]
    else:
        shown = [values.get(a.pk) for a in areas]
    return [measure.code, period.label, band, *shown]


# Submitting and verifying figures -----------------------------------------------------------------


def _submit_context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    quarter = selectors.collection_quarter(today)
    period = Period.objects.for_quarter(quarter).first()
    context: dict[str, Any] = {"quarter": quarter, "period": period, **forms}
    # The page is headed for what this user does on it.
    enters, verifies = has_role(user, Role.DATA_PROVIDER), permissions.can_verify(user)
    context["heading"] = (
        _("Submit and verify figures")
        if enters and verifies
        else _("Verify figures")
        if verifies
        else _("Submit figures")
    )
    if has_role(user, Role.DATA_PROVIDER):
        organisation_id = permissions.person_organisation_id(user)
        context["has_person"] = organisation_id is not None
        context.setdefault("figure_form", FigureForm(user=user))
        context.setdefault("upload_form", UploadForm())
        context["my_figures"] = list(
            Figure.objects.with_related()
            .filter(measure__data_source_id=organisation_id, measure__derived=False, period=period)
            .order_by("measure__order", "area__order", "age_band")
        )
        context["drafts"] = sum(1 for f in context["my_figures"] if f.status == Figure.Status.DRAFT)
    if permissions.can_verify(user):
        context["to_verify"] = selectors.figures_to_verify()
        context["periods"] = list(
            Period.objects.annotate(
                submitted=Count("figures", filter=Q(figures__status=Figure.Status.SUBMITTED))
            ).order_by("-year", "-quarter")[:8]
        )
    return context


def submit(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_use_submit_page(request.user))
    if request.method == "POST":
        permissions.require(has_role(request.user, Role.DATA_PROVIDER))
        form = FigureForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                figure = services.figure_save(
                    acting_user=request.user,
                    measure=data["measure"],
                    period=data["period"],
                    area=data["area"],
                    age_band=data["age_band"],
                    value=data["value"],
                    numerator=data["numerator"],
                    denominator=data["denominator"],
                    note=data["note"],
                    reason=data["reason"],
                    submit=request.POST.get("action") == "submit",
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "reason" in error.error_dict:
                    form.add_error("reason", error.error_dict.pop("reason"))
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("%(figure)s saved as %(status)s.")
                    % {
                        "figure": f"{figure.measure.code} {figure.area} {figure.period}",
                        "status": figure.get_status_display().lower(),
                    },
                )
                flag = services.hips_difference_message(figure)
                if flag:
                    messages.warning(request, flag)
                return redirect("performance:submit")
        return render(
            request, "performance/submit.html", _submit_context(request, figure_form=form), status=400
        )
    return render(request, "performance/submit.html", _submit_context(request))


@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    permissions.require(has_role(request.user, Role.DATA_PROVIDER))
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            result = services.figures_import(
                acting_user=request.user, upload=upload_file, filename=upload_file.name
            )
        except services.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if result.ok:
                messages.success(
                    request,
                    ngettext(
                        "%(saved)s figure submitted; %(unchanged)s unchanged.",
                        "%(saved)s figures submitted; %(unchanged)s unchanged.",
                        result.saved,
                    )
                    % {"saved": result.saved, "unchanged": result.unchanged},
                )
                return redirect("performance:submit")
            form.add_error(
                "file",
                ngettext(
                    "Nothing was imported: %(n)s problem was found. Correct it and upload the file again.",
                    "Nothing was imported: %(n)s problems were found. "
                    "Correct them and upload the file again.",
                    len(result.errors),
                )
                % {"n": len(result.errors)},
            )
            return render(
                request,
                "performance/submit.html",
                _submit_context(request, upload_form=form, import_errors=result.errors),
                status=400,
            )
    return render(request, "performance/submit.html", _submit_context(request, upload_form=form), status=400)


@require_GET
def upload_template(request: HttpRequest) -> StreamingHttpResponse:
    permissions.require(has_role(request.user, Role.DATA_PROVIDER))
    quarter = selectors.collection_quarter(timezone.localdate())
    period = Period.objects.for_quarter(quarter).first()
    return csv_response(
        f"svrp-figures-{quarter.slug}.csv",
        services.import_template_rows(acting_user=request.user, period=period),
    )


@require_POST
def submit_drafts(request: HttpRequest) -> HttpResponse:
    permissions.require(has_role(request.user, Role.DATA_PROVIDER))
    organisation_id = permissions.person_organisation_id(request.user)
    drafts = Figure.objects.select_related("measure", "period").filter(
        status=Figure.Status.DRAFT, measure__data_source_id=organisation_id, measure__derived=False
    )
    try:
        count = services.figure_submit(acting_user=request.user, figures=drafts)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s figure submitted for verification.", "%(n)s figures submitted for verification.", count
            )
            % {"n": count},
        )
    return redirect("performance:submit")


@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    """Verify the figures checked on the page (``figures``), one figure, or a quarter's submitted ones."""
    permissions.require(permissions.can_verify(request.user))
    if "figures" in request.POST or request.POST.get("action") == "selected":
        chosen = [whole_number(value, minimum=1) for value in request.POST.getlist("figures")]
        if None in chosen:
            raise Http404
        try:
            verified = services.figures_verify(
                acting_user=request.user, figure_ids=[pk for pk in chosen if pk is not None]
            )
        except ValidationError as error:
            messages.error(request, " ".join([_("No figure was verified."), *error.messages]))
            return redirect("performance:submit")
        count = len(verified)
    else:
        figures = Figure.objects.submitted()
        figure = whole_number(request.POST.get("figure"), minimum=1)
        period = whole_number(request.POST.get("period"), minimum=1)
        if figure is not None:
            figures = figures.filter(pk=figure)
        elif period is not None:
            figures = figures.filter(period_id=period)
        else:
            raise Http404
        count = services.figure_verify(acting_user=request.user, figures=figures)
    messages.success(
        request,
        ngettext("%(n)s figure verified.", "%(n)s figures verified.", count) % {"n": count},
    )
    return redirect("performance:submit")


def period_lock(request: HttpRequest, slug: str) -> HttpResponse:
    """Asks first (what locking does, what stays unverified or missing), then locks on the POST."""
    permissions.require(permissions.can_manage(request.user))
    try:
        quarter = FinancialQuarter.parse(slug)
    except ValueError as error:
        raise Http404 from error
    period = get_object_or_404(Period.objects.for_quarter(quarter))
    if request.method == "POST":
        try:
            services.period_lock(acting_user=request.user, period=period)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("performance:submit")
        messages.success(request, _("%(p)s is locked.") % {"p": period.label})
        return redirect("performance:submit")
    if period.is_locked:
        messages.info(request, _("%(p)s is already locked.") % {"p": period.label})
        return redirect("performance:submit")
    outstanding = services.period_outstanding(period=period)
    return render(
        request,
        "performance/period_lock.html",
        {"period": period, "outstanding": outstanding, "ended": period.has_ended()},
    )


def figure_correct(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    figure = get_object_or_404(Figure.objects.with_related(), pk=pk, period__locked_at__isnull=False)
    form = CorrectionForm(request.POST or None, initial={"new_value": figure.value})
    if form_saved(
        request,
        form,
        lambda: services.figure_correct(
            acting_user=request.user,
            figure=figure,
            new_value=form.cleaned_data["new_value"],
            reason=form.cleaned_data["reason"],
        ),
    ):
        messages.success(request, _("The correction is recorded."))
        return redirect("performance:measure", code=figure.measure.code)
    status = 400 if request.method == "POST" else 200
    # Who entered, submitted, verified and corrected it, and when (the audit trail, on the figure's page).
    history = history_entries(Figure.history.filter(id=figure.pk))
    return render(
        request,
        "performance/correct.html",
        {"figure": figure, "form": form, "history": history},
        status=status,
    )


# Data returns (VRU staff) -------------------------------------------------------------------------


@require_GET
def returns(request: HttpRequest) -> HttpResponse:
    """Which of a quarter's data returns are in, in progress, not started or late."""
    permissions.require(permissions.can_view_returns(request.user))
    today = timezone.localdate()
    current = selectors.collection_quarter(today)
    quarters = completeness.returns_quarters(current)
    form = ReturnsQuarterForm(
        request.GET if "quarter" in request.GET else None,
        quarters=quarters,
        initial={"quarter": current.slug},
    )
    if form.is_bound and not form.is_valid():
        return render(request, "performance/returns.html", {"form": form, "current": current}, status=400)
    quarter = form.cleaned_data["quarter"] if form.is_bound else current
    return render(
        request,
        "performance/returns.html",
        {
            "form": form,
            "current": current,
            "overview": completeness.returns_overview(quarter=quarter, today=today),
            "today": today,
        },
    )


# The understanding survey -------------------------------------------------------------------------


def survey(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_dashboard(request.user))
    user: Any = request.user
    can_open = permissions.can_manage(user)
    form = SurveyOpenForm(request.POST or None) if can_open else None
    if request.method == "POST":
        permissions.require(can_open)
        assert form is not None
        if form.is_valid():
            try:
                opened = services.survey_round_open(
                    acting_user=user,
                    period=form.cleaned_data["period"],
                    closes_on=form.cleaned_data["closes_on"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                invited = opened.invitations.count()
                messages.success(
                    request,
                    ngettext(
                        "The survey for %(p)s is open: %(n)s board member invited.",
                        "The survey for %(p)s is open: %(n)s board members invited.",
                        invited,
                    )
                    % {"p": opened.period, "n": invited},
                )
                return redirect("performance:survey")
    rounds = list(
        SurveyRound.objects.select_related("period").annotate(
            invited=Count("invitations", distinct=True),
            responded=Count("invitations", filter=Q(invitations__responded_at__isnull=False), distinct=True),
        )
    )
    results = services_results(rounds)
    person = getattr(user, "person", None)
    invitations = (
        list(
            SurveyInvitation.objects.filter(person=person, round__closed_at__isnull=True).select_related(
                "round__period", "organisation"
            )
        )
        if person is not None and has_role(user, Role.BOARD_MEMBER)
        else []
    )
    return render(
        request,
        "performance/survey.html",
        {
            "form": form,
            "rounds": [(r, results.get(r.period.fq)) for r in rounds],
            "invitations": invitations,
            "next_round": selectors.next_survey_round(rounds=rounds, today=timezone.localdate()),
        },
        status=400 if request.method == "POST" else 200,
    )


def services_results(rounds: Sequence[SurveyRound]) -> dict[FinancialQuarter, Any]:
    from .derived import survey_understanding

    return survey_understanding([r.period.fq for r in rounds])


def survey_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = getattr(user, "person", None)
    invitation = get_object_or_404(
        SurveyInvitation.objects.select_related("round__period", "organisation"), pk=pk, person=person
    )
    permissions.require(permissions.can_answer(user, invitation))
    given = dict(SurveyResponse.objects.filter(invitation=invitation).values_list("aspect_id", "rating"))
    form = SurveyAnswerForm(request.POST or None, survey=invitation.round, initial_ratings=given)
    if form_saved(
        request,
        form,
        lambda: services.survey_respond(acting_user=user, invitation=invitation, ratings=form.ratings()),
    ):
        messages.success(request, _("Thank you: your ratings are recorded."))
        return redirect("performance:survey")
    return render(
        request,
        "performance/survey_answer.html",
        {"invitation": invitation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    survey_round = get_object_or_404(SurveyRound, pk=pk)
    services.survey_round_close(acting_user=request.user, survey=survey_round)
    messages.success(request, _("The survey for %(p)s is closed.") % {"p": survey_round.period})
    return redirect("performance:survey")


# Grants -------------------------------------------------------------------------------------------


@require_GET
def grants(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_dashboard(request.user))
    this_year = FinancialQuarter.of(timezone.localdate()).year
    year = whole_number(request.GET.get("year", str(this_year)), minimum=2000, maximum=2100)
    if year is None:
        raise Http404
    summaries = selectors.grants_for_year(year)
    from . import charts

    chart = charts.bar_chart(
        chart_id="chart-grants",
        title=_("Grant spend against allocation, %(fy)s") % {"fy": f"{year}/{(year + 1) % 100:02d}"},
        description=_("Bar chart of each grant's allocation, spend to date and forecast outturn in pounds. ")
        + " ".join(
            f"{s.grant.get_kind_display()}: allocation £{s.grant.allocation:,.0f}, spent £{s.spent:,.0f}, "
            f"forecast £{s.forecast_outturn:,.0f}."
            for s in summaries
        ),
        labels=[s.grant.get_kind_display() for s in summaries],
        series=[
            charts.Series(_("Allocation"), tuple(float(s.grant.allocation) for s in summaries)),
            charts.Series(_("Spent to date"), tuple(float(s.spent) for s in summaries)),
            charts.Series(_("Forecast outturn"), tuple(float(s.forecast_outturn) for s in summaries)),
        ],
        prefix="£",
    )
    years = sorted(set(Grant.objects.values_list("year", flat=True)) | {this_year}, reverse=True)
    return render(
        request,
        "performance/grants.html",
        {
            "summaries": summaries,
            "chart": chart,
            "year": year,
            "financial_year": f"{year}/{(year + 1) % 100:02d}",
            "years": [(y, f"{y}/{(y + 1) % 100:02d}") for y in years],
            "can_manage": permissions.can_manage(request.user),
        },
    )


def grant_return(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    form = GrantReturnForm(request.POST or None)
    if form_saved(
        request, form, lambda: services.grant_return_save(acting_user=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The spend return is saved."))
        return redirect(reverse("performance:grants") + f"?year={form.cleaned_data['grant'].year}")
    return render(
        request,
        "performance/grant_return.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
