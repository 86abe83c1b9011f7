"""The framework as the Terms of Reference sets it out, loaded by ``load_reference_data``.

Idempotent: missing rows are created, rows that exist are left as users have edited them.
Added to the ``core.hooks.REFERENCE_LOADERS`` extension point by ``performance.hooks``, so that
governance never imports performance.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from governance.models import DutyStatus, Organisation, Sector
from governance.quarters import FinancialQuarter

from .models import Area, Measure, Outcome, Period, SurveyAspect

CONSTABULARY = "Hampshire and Isle of Wight Constabulary"
ICB = "Hampshire and Isle of Wight Integrated Care Board"
VRU = "Hampshire and Isle of Wight Violence Reduction Unit"

OUTCOMES: tuple[tuple[str, str], ...] = (
    ("1.1", "Serious Violence is reduced across Hampshire and Isle of Wight"),
    ("2.1", "Strengthened multiagency working"),
    ("2.2", "Specified and relevant authorities understand their role in response to serious violence"),
)


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    outcome: str
    source: str  # CONSTABULARY, ICB or VRU
    text: str  # the Terms of Reference's own words
    short_title: str
    home_office: bool
    unit: str
    direction: str
    reports_under_25: bool
    derived: bool
    definition: str


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec(
        "1.1.1.a",
        "1.1",
        ICB,
        "ICB data: number of hospital admissions for assaults with a knife or sharp object - "
        "Home Office measure",
        "Hospital admissions for assault with a knife or sharp object",
        True,
        Measure.Unit.COUNT,
        Measure.Direction.LOWER,
        True,
        False,
        "Emergency hospital admissions of residents of Hampshire, the Isle of Wight, Portsmouth and "
        "Southampton for assault by a sharp object (ICD-10 X99), counted in the quarter of admission; "
        "all ages and under 25 where the age is recorded.",
    ),
    MeasureSpec(
        "1.1.1.b",
        "1.1",
        CONSTABULARY,
        "Constabulary: number of police recorded knife-enabled serious violence incidents - "
        "Home Office measure",
        "Police recorded knife-enabled serious violence",
        True,
        Measure.Unit.COUNT,
        Measure.Direction.LOWER,
        True,
        False,
        "Police recorded offences of violence against the person and robbery in which a knife or sharp "
        "instrument was used or threatened, counted in the quarter recorded; all ages and under 25 "
        "where the victim's age is recorded.",
    ),
    MeasureSpec(
        "1.1.1.c",
        "1.1",
        CONSTABULARY,
        "Constabulary: number of police recorded non-domestic homicides - Home Office measure",
        "Police recorded non-domestic homicides",
        True,
        Measure.Unit.COUNT,
        Measure.Direction.LOWER,
        True,
        False,
        "Homicides recorded by the Constabulary in the quarter, excluding those where the victim and "
        "the principal suspect were in a domestic relationship; all ages and under 25 where recorded.",
    ),
    MeasureSpec(
        "1.1.1.d",
        "1.1",
        CONSTABULARY,
        "Constabulary: number of serious violence offences using the VRP serious violence definition",
        "Serious violence offences (VRP definition)",
        False,
        Measure.Unit.COUNT,
        Measure.Direction.LOWER,
        False,
        False,
        "Police recorded offences within the partnership's serious violence definition (homicide, "
        "violence with injury, robbery and possession of weapons offences in public places), counted "
        "in the quarter recorded.",
    ),
    MeasureSpec(
        "2.1.1.a",
        "2.1",
        VRU,
        "VRU: number of specified and relevant authorities attending Serious Violence Reduction "
        "Partnership meetings",
        "Authorities attending SVRP meetings",
        False,
        Measure.Unit.COUNT,
        Measure.Direction.HIGHER,
        False,
        True,
        "Distinct specified and relevant authorities represented, in person or by a deputy, at the "
        "SVRP meetings held in the quarter, out of all specified and relevant authorities. Computed "
        "from the attendance register.",
    ),
    MeasureSpec(
        "2.2.1.a",
        "2.2",
        VRU,
        "VRU: percentage of ratings of 'good understanding' and 'full understanding' in ‘VRP - Specified "
        "and Relevant Authorities' Understanding of SV Response Role’ survey",
        "Ratings of good or full understanding",
        False,
        Measure.Unit.PERCENTAGE,
        Measure.Direction.HIGHER,
        False,
        True,
        "Ratings of good or full understanding as a percentage of all ratings given by the board members "
        "of specified and relevant authorities in the quarter's survey round. Computed from the survey.",
    ),
)

AREAS: tuple[tuple[str, str, bool], ...] = (
    ("hampshire", "Hampshire", False),
    ("isle-of-wight", "Isle of Wight", False),
    ("portsmouth", "Portsmouth", False),
    ("southampton", "Southampton", False),
    ("hips", "HIPS total", True),
)

# The key aspects of the response whose understanding the survey asks about (the ToR's board member
# responsibilities and the Duty's requirements).
SURVEY_ASPECTS: tuple[str, ...] = (
    "The requirements of the Serious Violence Duty for your organisation",
    "The strategic needs assessment and the data your organisation shares for it",
    "The response strategy and your organisation's part in delivering it",
    "The public health, trauma informed approach to serious violence",
    "Information and data sharing to take a problem solving approach",
    "Oversight of the VRU and Serious Violence Duty grant expenditure",
)


def _organisation(name: str) -> Organisation:
    """The data source organisation, as the registers name it; created if the register lacks it."""
    found = Organisation.objects.filter(name=name).first()
    if found is None and name == VRU:
        found = Organisation.objects.filter(sector=Sector.VRU).order_by("pk").first()
    if found is not None:
        return found
    sector, status = {
        CONSTABULARY: (Sector.POLICE, DutyStatus.SPECIFIED),
        ICB: (Sector.HEALTH, DutyStatus.SPECIFIED),
        VRU: (Sector.VRU, DutyStatus.NONE),
    }[name]
    return Organisation.objects.create(name=name, slug=slugify(name), sector=sector, duty_status=status)


def ensure_periods(first: FinancialQuarter, last: FinancialQuarter) -> int:
    created = 0
    quarter = first
    while quarter <= last:
        candidate = Period.for_fq(quarter)
        _, made = Period.objects.get_or_create(
            year=quarter.year, quarter=quarter.quarter, defaults={"deadline": candidate.deadline}
        )
        created += made
        quarter = quarter.next()
    return created


def load_framework() -> str:
    outcomes = {}
    made = 0
    for order, (code, text) in enumerate(OUTCOMES, start=1):
        outcomes[code], was = Outcome.objects.get_or_create(
            code=code, defaults={"text": text, "order": order}
        )
        made += was
    measures = 0
    for order, spec in enumerate(MEASURES, start=1):
        if Measure.objects.filter(code=spec.code).exists():
            continue
        Measure.objects.create(
            code=spec.code,
            outcome=outcomes[spec.outcome],
            data_source=_organisation(spec.source),
            text=spec.text,
            short_title=spec.short_title,
            home_office=spec.home_office,
            unit=spec.unit,
            direction=spec.direction,
            reports_under_25=spec.reports_under_25,
            derived=spec.derived,
            definition=spec.definition,
            order=order,
        )
        measures += 1
    areas = sum(
        Area.objects.get_or_create(code=code, defaults={"name": name, "is_total": total, "order": order})[1]
        for order, (code, name, total) in enumerate(AREAS, start=1)
    )
    aspects = sum(
        SurveyAspect.objects.get_or_create(text=text, defaults={"order": order})[1]
        for order, text in enumerate(SURVEY_ASPECTS, start=1)
    )
    this_year = FinancialQuarter.of(timezone.localdate()).year
    periods = ensure_periods(FinancialQuarter(this_year - 1, 1), FinancialQuarter(this_year, 4))
    return (
        f"Performance framework: {made} outcomes, {measures} measures, {areas} areas, "
        f"{aspects} survey aspects and {periods} periods created."
    )
