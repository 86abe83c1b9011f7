"""Builders for the performance tests: organisations, people, meetings and figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from governance.models import (
    Attendance,
    DutyStatus,
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    Sector,
)
from governance.quarters import FinancialQuarter
from performance.models import AgeBand, Area, Figure, Measure, Period


def organisation(
    name: str, *, duty: str = DutyStatus.SPECIFIED, sector: str = Sector.LOCAL_AUTHORITY
) -> Organisation:
    found, _ = Organisation.objects.get_or_create(
        name=name, defaults={"slug": slugify(name), "sector": sector, "duty_status": duty}
    )
    return found


def person(name: str, org: Organisation, user: Any = None) -> Person:
    return Person.objects.create(full_name=name, organisation=org, user=user)


def svrp() -> PartnershipGroup:
    group, _ = PartnershipGroup.objects.get_or_create(
        short_name="SVRP",
        defaults={
            "name": "Strategic Violence Reduction Partnership",
            "slug": "svrp",
            "kind": PartnershipGroup.Kind.PARTNERSHIP,
            "acts_as_vru_core_group": True,
        },
    )
    return group


def board_seat(
    who: Person, org: Organisation | None = None, start: dt.date = dt.date(2024, 1, 1)
) -> Membership:
    seat = Seat.objects.create(group=svrp(), organisation=org or who.organisation, title=f"Seat of {who}")
    return Membership.objects.create(person=who, seat=seat, start_date=start)


def meeting(
    day: dt.date, group: PartnershipGroup | None = None, status: str = Meeting.Status.HELD
) -> Meeting:
    return Meeting.objects.create(group=group or svrp(), date=day, status=status)


def attend(at: Meeting, who: Person, status: str, org: Organisation | None = None) -> Attendance:
    return Attendance.objects.create(
        meeting=at, person=who, organisation=org or who.organisation, status=status
    )


def period(quarter: FinancialQuarter, *, locked: bool = False) -> Period:
    found, _ = Period.objects.get_or_create(
        year=quarter.year, quarter=quarter.quarter, defaults={"deadline": Period.for_fq(quarter).deadline}
    )
    if locked and found.locked_at is None:
        found.locked_at = timezone.now()
        found.save()
    return found


def figure(
    measure: Measure | str,
    quarter: FinancialQuarter,
    value: int | Decimal,
    *,
    area: str = "hips",
    band: str = AgeBand.ALL,
    status: str = Figure.Status.VERIFIED,
) -> Figure:
    if isinstance(measure, str):
        measure = Measure.objects.get(code=measure)
    return Figure.objects.create(
        measure=measure,
        period=period(quarter),
        area=Area.objects.get(code=area),
        age_band=band,
        value=Decimal(value),
        status=status,
        submitted_at=timezone.now(),
        verified_at=timezone.now() if status == Figure.Status.VERIFIED else None,
    )
