"""Demonstration data for the framework (DEBUG only): two years of figures, a survey and grant returns.

Deterministic (seeded) and idempotent: existing rows are kept. Every row is marked as demonstration
data. Listed in ``demo.loading.DEMO_LOADERS`` after the governance loader, so the meetings 2.1.1.a is
computed from already exist.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from governance.models import Organisation, Person
from governance.quarters import FinancialQuarter
from performance.cycle import period_open
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
from performance.reference import CONSTABULARY, ensure_periods, load_framework
from performance.selectors import collection_quarter, quarter_window
from performance.services import svrp_board_memberships

# Typical quarterly counts per area (Hampshire, Isle of Wight, Portsmouth, Southampton) and the share
# under 25: plausible magnitudes for HIPS, not real statistics.
PROFILES: dict[str, tuple[dict[str, float], float]] = {
    "1.1.1.a": ({"hampshire": 24, "isle-of-wight": 4, "portsmouth": 9, "southampton": 11}, 0.4),
    "1.1.1.b": ({"hampshire": 180, "isle-of-wight": 24, "portsmouth": 70, "southampton": 85}, 0.45),
    "1.1.1.c": ({"hampshire": 1.2, "isle-of-wight": 0.3, "portsmouth": 0.5, "southampton": 0.7}, 0.3),
    "1.1.1.d": ({"hampshire": 900, "isle-of-wight": 120, "portsmouth": 350, "southampton": 420}, 0.4),
}
RATING_WEIGHTS = (
    (SurveyResponse.Rating.NONE, 1),
    (SurveyResponse.Rating.LIMITED, 3),
    (SurveyResponse.Rating.SOME, 6),
    (SurveyResponse.Rating.GOOD, 8),
    (SurveyResponse.Rating.FULL, 4),
)


def _figures(rng: random.Random, quarters: list[FinancialQuarter]) -> int:
    periods = {p.fq: p for p in Period.objects.all()}
    areas = {a.code: a for a in Area.objects.all()}
    total_area = next(a for a in areas.values() if a.is_total)
    existing = set(Figure.objects.values_list("measure_id", "period_id", "area_id", "age_band"))
    now = timezone.now()
    new: list[Figure] = []
    for measure in Measure.objects.filter(code__in=PROFILES):
        profile, young = PROFILES[measure.code]
        first_year_totals = []
        for index, quarter in enumerate(quarters):
            period = periods[quarter]
            trend = 1 - 0.015 * index  # a gentle fall over two years
            latest = index == len(quarters) - 1
            status = (
                Figure.Status.SUBMITTED if latest and measure.code == "1.1.1.d" else Figure.Status.VERIFIED
            )
            totals: dict[str, int] = {AgeBand.ALL: 0, AgeBand.UNDER_25: 0}
            for code, mean in profile.items():
                expected = mean * trend
                if mean < 3:
                    value = sum(rng.random() < expected / 3 for _ in range(3))
                else:
                    value = max(0, round(rng.gauss(expected, expected**0.5)))
                under_25 = (
                    sum(rng.random() < young for _ in range(value)) if value < 50 else round(value * young)
                )
                for band, amount in ((AgeBand.ALL, value), (AgeBand.UNDER_25, under_25)):
                    if band == AgeBand.UNDER_25 and not measure.reports_under_25:
                        continue
                    totals[band] += amount
                    new.append(_figure(measure, period, areas[code], band, amount, status, now, existing))
            for total_band in measure.age_bands:
                new.append(
                    _figure(
                        measure, period, total_area, total_band, totals[total_band], status, now, existing
                    )
                )
            if index < 4:
                first_year_totals.append(totals[AgeBand.ALL])
        if measure.baseline is None and first_year_totals:
            measure.baseline = Decimal(sum(first_year_totals)) / len(first_year_totals)
            measure.baseline_note = "Average quarter of the first demonstration year"
            measure.target = (measure.baseline * Decimal("0.95")).quantize(Decimal("1"))
            measure.save()
    made = [f for f in new if f is not None]
    Figure.objects.bulk_create(made)
    return len(made)


def _figure(measure, period, area, band, value, status, now, existing):  # type: ignore[no-untyped-def]
    if (measure.pk, period.pk, area.pk, band) in existing:
        return None
    verified = status == Figure.Status.VERIFIED
    return Figure(
        measure=measure,
        period=period,
        area=area,
        age_band=band,
        value=Decimal(value),
        status=status,
        submitted_at=now,
        verified_at=now if verified else None,
        note="Demonstration data",
        is_demo=True,
    )


def _survey(rng: random.Random, quarters: list[FinancialQuarter]) -> int:
    made = 0
    for quarter in (quarters[-5], quarters[-1]):
        period = Period.objects.for_quarter(quarter).get()
        if SurveyRound.objects.filter(period=period).exists():
            continue
        survey = SurveyRound.objects.create(
            period=period,
            opened_at=timezone.now(),
            closes_on=quarter.end,
            closed_at=timezone.now(),
            is_demo=True,
        )
        aspects = list(SurveyAspect.objects.filter(active=True))
        survey.aspects.set(aspects)
        invitees = {m.person_id: (m.person, m.organisation) for m in svrp_board_memberships(quarter.end)}
        if not invitees:
            for organisation in Organisation.objects.duty_authorities():
                person, _ = Person.objects.get_or_create(
                    full_name=f"Demonstration board member, {organisation.short_name or organisation.name}",
                    organisation=organisation,
                    defaults={"is_demo": True},
                )
                invitees[person.pk] = (person, organisation)
        later = quarter == quarters[-1]
        for person, organisation in invitees.values():
            invitation = SurveyInvitation.objects.create(
                round=survey, person=person, organisation=organisation
            )
            if rng.random() < 0.2:
                continue  # some never answer
            weights = [w + (3 if later and rating in ("good", "full") else 0) for rating, w in RATING_WEIGHTS]
            SurveyResponse.objects.bulk_create(
                SurveyResponse(
                    invitation=invitation,
                    aspect=aspect,
                    rating=rng.choices([r for r, _ in RATING_WEIGHTS], weights)[0],
                )
                for aspect in aspects
            )
            invitation.responded_at = timezone.now()
            invitation.save(update_fields=["responded_at"])
        made += 1
    return made


def _grants(rng: random.Random, last: FinancialQuarter) -> int:
    made = 0
    for year in (last.year - 1, last.year):
        for kind, allocation, labour in (
            (Grant.Kind.VRU, Decimal("1100000"), None),
            (Grant.Kind.SVD, Decimal("300000"), Decimal("120000")),
        ):
            grant, created = Grant.objects.get_or_create(
                kind=kind,
                year=year,
                defaults={
                    "allocation": allocation,
                    "labour_allocation": labour,
                    "non_labour_allocation": None if labour is None else allocation - labour,
                    "is_demo": True,
                },
            )
            if not created:
                continue
            made += 1
            labour_share = Decimal("0.6") if labour is None else labour / allocation
            for q in range(1, 5):
                quarter = FinancialQuarter(year, q)
                period = Period.objects.for_quarter(quarter).get()
                for category, share in (
                    (SpendReturn.Category.LABOUR, labour_share),
                    (SpendReturn.Category.NON_LABOUR, 1 - labour_share),
                ):
                    forecast = (allocation * share / 4).quantize(Decimal("1"))
                    actual = None
                    if quarter <= last:
                        actual = (forecast * Decimal(str(rng.uniform(0.8, 1.05)))).quantize(Decimal("1"))
                    SpendReturn.objects.create(
                        grant=grant,
                        period=period,
                        category=category,
                        forecast=forecast,
                        actual=actual,
                        is_demo=True,
                        note="Demonstration data",
                    )
    return made


def _data_provider_person() -> str:
    user = get_user_model().objects.filter(username="data.provider").first()
    if user is None or Person.objects.filter(user=user).exists():
        return ""
    constabulary = Organisation.objects.get(name=CONSTABULARY)
    Person.objects.create(
        full_name="Dana Provider (demo)",
        job_title="Performance analyst",
        organisation=constabulary,
        user=user,
        is_demo=True,
    )
    return " data.provider linked to the Constabulary;"


def load_demo_data() -> str:
    load_framework()
    rng = random.Random(20231)  # noqa: S311 - demonstration numbers, not secrets
    last = collection_quarter(timezone.localdate())
    quarters = quarter_window(last, 8)
    ensure_periods(quarters[0], FinancialQuarter(last.year, 4))
    figures = _figures(rng, quarters)
    surveys = _survey(rng, quarters)
    grants = _grants(rng, last)
    for measure in Measure.objects.filter(derived=True, target__isnull=True):
        measure.target = (
            Decimal("75")
            if measure.unit == Measure.Unit.PERCENTAGE
            else Decimal(max(1, Organisation.objects.duty_authorities().count() * 3 // 4))
        )
        measure.save()
    linked = _data_provider_person()
    # What beat's 06:00 task would do today: open the collection quarter and expect a return from each
    # data source, so the data returns page and the reminders have something to show from the start.
    # Real rows, the same the cycle makes (idempotent), not demonstration data.
    period, _created = period_open(today=timezone.localdate())
    return (
        f"Performance demo:{linked} {figures} figures, {surveys} survey rounds and {grants} grants created "
        f"(all marked as demonstration data); {period.returns.count()} data returns expected for {period}."
    )
