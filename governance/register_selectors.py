"""Reads of the registers that pages and exports share, each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from .models import (
    Attendance,
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Sector,
    TermsOfReference,
)

SECTOR_ORDER = {value: index for index, value in enumerate(Sector.values)}


def svrp_group() -> PartnershipGroup | None:
    """The partnership board itself (the top-level group; the SVRP)."""
    return PartnershipGroup.objects.svrp().first()


@dataclass(frozen=True)
class AttendanceRate:
    represented: int
    meetings: int

    @property
    def percent(self) -> int:
        return round(100 * self.represented / self.meetings) if self.meetings else 0

    def __str__(self) -> str:
        return _("%(percent)s%% (%(represented)s of %(meetings)s meetings)") % {
            "percent": self.percent,
            "represented": self.represented,
            "meetings": self.meetings,
        }


def attendance_rates() -> dict[int, AttendanceRate]:
    """Per organisation: of the held meetings it was expected at, how many it was represented at.

    Represented means present in person or through a deputy (``Attendance.represents_authority``).
    One aggregate query, whatever the number of organisations, people or meetings.
    """
    rows = (
        Attendance.objects.filter(meeting__status=Meeting.Status.HELD, organisation__isnull=False)
        .exclude(status=Attendance.Status.GUEST)
        .values("organisation_id")
        .annotate(
            meetings=Count("meeting", distinct=True),
            represented=Count(
                "meeting",
                filter=Q(status__in=Attendance.REPRESENTING),
                distinct=True,
            ),
        )
    )
    return {row["organisation_id"]: AttendanceRate(row["represented"], row["meetings"]) for row in rows}


@dataclass
class RegisterEntry:
    organisation: Organisation
    memberships: list[Membership]
    attendance: AttendanceRate | None


@dataclass
class RegisterGroup:
    """An organisation, or "Local Authorities" holding the fifteen councils, as the ToR shows them."""

    label: str
    entries: list[RegisterEntry] = field(default_factory=list)

    @property
    def is_several(self) -> bool:
        return len(self.entries) > 1 or self.entries[0].organisation.sector == Sector.LOCAL_AUTHORITY


def register_organisations(
    *, day: dt.date, sector: str = "", status: str = "", group: PartnershipGroup | None = None
) -> QuerySet[Organisation]:
    """Current organisations with their memberships in force on ``day`` (persons and groups joined)."""
    memberships = Membership.objects.active_on(day).select_related("person", "group")
    if group is not None:
        memberships = memberships.filter(group=group)
    organisations = Organisation.objects.current().prefetch_related(
        Prefetch(
            "memberships",
            queryset=memberships.order_by("group__order", "pk"),  # the ToR's order of seats
            to_attr="memberships_in_force",
        )
    )
    if sector:
        organisations = organisations.filter(sector=sector)
    if status:
        organisations = organisations.filter(duty_status=status)
    return organisations


def register(
    *, day: dt.date, sector: str = "", status: str = "", with_attendance: bool = True
) -> list[RegisterGroup]:
    """The membership register grouped by authority, in the ToR's order of agencies (without the
    attendance rates when not ``with_attendance``: the register page fills them in apart)."""
    rates = attendance_rates() if with_attendance else {}
    organisations = sorted(
        register_organisations(day=day, sector=sector, status=status),
        key=lambda o: (SECTOR_ORDER.get(o.sector, 99), o.name),
    )
    groups: dict[str, RegisterGroup] = {}
    for organisation in organisations:
        label = organisation.display_group
        groups.setdefault(label, RegisterGroup(label)).entries.append(
            RegisterEntry(organisation, organisation.memberships_in_force, rates.get(organisation.pk))  # type: ignore[attr-defined]
        )
    return list(groups.values())


def attendance_rate_texts() -> tuple[dict[int, str], str]:
    """Each organisation's attendance rate as the register shows it, and what it shows for one with
    none: two queries."""
    texts = {pk: str(rate) for pk, rate in attendance_rates().items()}
    return texts, str(_("Not recorded") if any_meeting_held() else _("No meetings yet"))


def any_meeting_held() -> bool:
    return Meeting.objects.filter(status=Meeting.Status.HELD).exists()


def current_terms_of_reference(group: PartnershipGroup | None = None) -> TermsOfReference | None:
    """The approved version of a group's Terms of Reference (the SVRP's by default), sections joined."""
    group = group or svrp_group()
    if group is None:
        return None
    return (
        TermsOfReference.objects.filter(group=group, status=TermsOfReference.Status.APPROVED)
        .select_related("group", "approved_at_meeting")
        .prefetch_related("sections")
        .first()
    )
