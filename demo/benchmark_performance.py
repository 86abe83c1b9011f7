"""Benchmark data for the framework: every entered measure's figures for every area, quarter by
quarter over the benchmark's years, a survey round a quarter (2.2.1.a) and grant spend returns.

The attendance measure (2.1.1.a) needs nothing here: it is computed from the meetings the governance
generator made. Run by ``generate_benchmark_data`` after the governance and Crest generators.
"""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.benchmark import BENCH_PREFIX, Context, bulk
from demo.performance import PROFILES, RATING_WEIGHTS
from governance.models import Membership, svrp_lookup
from governance.quarters import FinancialQuarter
from performance.models import (
    AgeBand,
    Area,
    Figure,
    Grant,
    Measure,
    Period,
    SpendReturn,
    SurveyAspect,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
)
from performance.reference import ensure_periods, load_framework

# Quarterly counts per area for a measure the demonstration data has no profile for.
DEFAULT_PROFILE = ({"hampshire": 50.0, "isle-of-wight": 8.0, "portsmouth": 20.0, "southampton": 25.0}, 0.4)


def _quarters(context: Context) -> list[FinancialQuarter]:
    quarters, quarter = [], context.first
    while quarter <= context.last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def generate_performance(context: Context) -> str:
    if Figure.objects.filter(note=f"{BENCH_PREFIX}data").exists():
        return "Performance benchmark data already present."
    load_framework()
    quarters = _quarters(context)
    # Periods up to the end of the current financial year, as the framework's own loader keeps them.
    ensure_periods(quarters[0], FinancialQuarter(context.current.year, 4))
    periods = {p.fq: p for p in Period.objects.all()}
    figures = _figures(context, quarters, periods)
    rounds = _survey(context, quarters, periods)
    returns = _grants(context, quarters, periods)
    versions = _report_versions(context, quarters)
    return (
        f"Performance: {figures} figures over {len(quarters)} quarters, {rounds} survey rounds, "
        f"{returns} grant spend returns, {versions} Home Office report versions."
    )


def _figures(context: Context, quarters: list[FinancialQuarter], periods: dict) -> int:  # type: ignore[type-arg]
    rng, now = context.rng, timezone.now()
    areas = list(Area.objects.order_by("order"))
    total_area = next(a for a in areas if a.is_total)
    rows = []
    for measure in Measure.objects.entered().order_by("order", "code"):
        profile, young = PROFILES.get(measure.code, DEFAULT_PROFILE)
        for index, quarter in enumerate(quarters):
            trend = 1 - 0.4 * index / max(1, len(quarters))  # a gentle fall over the years
            totals: dict[str, Decimal] = dict.fromkeys(measure.age_bands, Decimal(0))
            for area in areas:
                if area.is_total:
                    continue
                expected = profile.get(area.code, 10.0) * trend
                value = Decimal(max(0, round(rng.gauss(expected, max(expected, 1) ** 0.5))))
                values: dict[str, Decimal] = {
                    AgeBand.ALL: value,
                    AgeBand.UNDER_25: (value * Decimal(str(young))).quantize(1),
                }
                for band in measure.age_bands:
                    totals[band] += values[band]
                    rows.append(_figure(measure, periods[quarter], area, band, values[band], now))
            for band in measure.age_bands:
                rows.append(_figure(measure, periods[quarter], total_area, band, totals[band], now))
        if measure.target is None:
            first_year = [
                r.value
                for r in rows
                if r.measure is measure and r.area is total_area and r.age_band == AgeBand.ALL
            ][:4]
            if first_year:
                baseline = sum(first_year, Decimal(0)) / len(first_year)
                measure.baseline = baseline
                measure.baseline_note = "Average quarter of the benchmark's first year"
                measure.target = (baseline * Decimal("0.95")).quantize(Decimal("1"))
                measure.save()
    bulk(Figure, rows)
    return len(rows)


def _figure(measure: Measure, period: Period, area: Area, band: str, value: Decimal, now) -> Figure:  # type: ignore[no-untyped-def]
    return Figure(
        measure=measure,
        period=period,
        area=area,
        age_band=band,
        value=value,
        status=Figure.Status.VERIFIED,
        submitted_at=now,
        verified_at=now,
        note=f"{BENCH_PREFIX}data",
    )


def _survey(context: Context, quarters: list[FinancialQuarter], periods: dict) -> int:  # type: ignore[type-arg]
    """A round a quarter: the SVRP's board members of specified and relevant authorities rate each aspect."""
    rng, now = context.rng, timezone.now()
    aspects = list(SurveyAspect.objects.filter(active=True).order_by("order", "pk"))
    members = list(
        Membership.objects.filter(
            svrp_lookup("group__"),
            person__full_name__startswith=BENCH_PREFIX,
            organisation__duty_status__in=["specified", "relevant"],
        )
        .select_related("person", "organisation")
        .order_by("pk")
    )
    rounds = bulk(
        SurveyRound,
        (
            SurveyRound(period=periods[q], opened_at=now, closes_on=q.end, closed_at=now)
            for q in quarters
            if not SurveyRound.objects.filter(period=periods[q]).exists()
        ),
    )
    through = SurveyRound.aspects.through
    bulk(through, (through(surveyround_id=r.pk, surveyaspect_id=a.pk) for r in rounds for a in aspects))
    invitations = bulk(
        SurveyInvitation,
        (
            SurveyInvitation(
                round=r,
                person=m.person,
                organisation=m.organisation,
                responded_at=now if rng.random() < 0.8 else None,
            )
            for r in rounds
            for m in members
        ),
    )
    ratings = [r for r, _ in RATING_WEIGHTS]
    weights = [w for _, w in RATING_WEIGHTS]
    bulk(
        SurveyResponse,
        (
            SurveyResponse(invitation=i, aspect=a, rating=rng.choices(ratings, weights)[0])
            for i in invitations
            if i.responded_at is not None
            for a in aspects
        ),
    )
    return len(rounds)


def _grants(context: Context, quarters: list[FinancialQuarter], periods: dict) -> int:  # type: ignore[type-arg]
    rng = context.rng
    years = sorted({q.year for q in quarters})
    grants = bulk(
        Grant,
        (
            Grant(
                kind=kind,
                year=year,
                allocation=allocation,
                labour_allocation=labour,
                non_labour_allocation=None if labour is None else allocation - labour,
            )
            for year in years
            for kind, allocation, labour in (
                (Grant.Kind.VRU, Decimal("1100000"), None),
                (Grant.Kind.SVD, Decimal("300000"), Decimal("120000")),
            )
            if not Grant.objects.filter(kind=kind, year=year).exists()
        ),
    )
    returns = []
    for grant in grants:
        share = (
            Decimal("0.6") if grant.labour_allocation is None else grant.labour_allocation / grant.allocation
        )
        for q in range(1, 5):
            quarter = FinancialQuarter(grant.year, q)
            if quarter not in periods:
                continue
            for category, part in (
                (SpendReturn.Category.LABOUR, share),
                (SpendReturn.Category.NON_LABOUR, 1 - share),
            ):
                forecast = (grant.allocation * part / 4).quantize(Decimal("1"))
                actual = None
                if quarter <= context.last:
                    actual = (forecast * Decimal(str(round(rng.uniform(0.8, 1.05), 3)))).quantize(
                        Decimal("1")
                    )
                returns.append(
                    SpendReturn(
                        grant=grant,
                        period=periods[quarter],
                        category=category,
                        forecast=forecast,
                        actual=actual,
                    )
                )
    bulk(SpendReturn, returns)
    return len(returns)


def _report_versions(context: Context, quarters: list[FinancialQuarter]) -> int:
    """A submitted Home Office report version for each of the latest quarters (40 at scale 10).

    Versions only, without their files: the benchmark times one report's generation on its own
    (``bench_report``). Nothing is made when the report generator is not in this build.
    """
    try:
        report_model = apps.get_model("performance", "Report")
        version_model = apps.get_model("performance", "ReportVersion")
    except LookupError:
        return 0
    staff = get_user_model().objects.get(username="bench.staff")
    now = timezone.now()
    latest = quarters[-context.scale.report_versions :]
    reports = bulk(report_model, (report_model(year=q.year, quarter=q.quarter) for q in latest))
    versions = bulk(
        version_model,
        (
            version_model(
                report=report,
                number=1,
                status="submitted",
                generated_at=now,
                generated_by=staff,
                submitted_at=now,
                submitted_by=staff,
            )
            for report in reports
        ),
    )
    return len(versions)
