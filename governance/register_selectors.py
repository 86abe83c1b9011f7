"""Reads of the registers that pages and exports share, each a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import FilteredRelation, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    RepresentationTally,
    Seat,
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
        return ngettext(
            "%(percent)s%% (%(represented)s of %(meetings)s meeting)",
            "%(percent)s%% (%(represented)s of %(meetings)s meetings)",
            self.meetings,
        ) % {
            "percent": self.percent,
            "represented": self.represented,
            "meetings": self.meetings,
        }


def attendance_rates() -> dict[int, AttendanceRate]:
    """Per organisation: of the held meetings it was expected at, how many it was represented at.

    Represented means someone attended for it (``Attendance.REPRESENTING``). Rates belong to authorities,
    never to seats: a vacant seat has none.
    One query over a row per authority (``RepresentationTally``, kept from the registers' rows and the
    meetings' status by triggers), not an aggregate of the twenty thousand rows of the registers at
    every read.
    """
    rows = RepresentationTally.objects.filter(meetings__gt=0).values_list(
        "organisation_id", "meetings", "represented"
    )
    return {organisation: AttendanceRate(shown, meetings) for organisation, meetings, shown in rows}


@dataclass(frozen=True, slots=True)
class RegisterPerson:
    """A person as the register shows them (``register``: a row, not a model instance)."""

    full_name: str
    job_title: str
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class RegisterTenure:
    """A membership as the register shows it."""

    role: str
    start_date: dt.date
    person: RegisterPerson

    def get_role_display(self) -> str:
        return str(Membership.Role(self.role).label)


@dataclass(frozen=True, slots=True)
class RegisterSeat:
    """A seat as the register shows it; ``group`` is its group's name as shown (``str(group)``)."""

    pk: int
    title: str
    group_id: int
    group: str

    def __str__(self) -> str:
        return self.title


@dataclass
class SeatRow:
    """A seat in force on a day, its holder(s) then and its deputies; vacant when nobody holds it. Model
    instances on a group's page (``seat_rows``), rows on the register (``register``)."""

    seat: Seat | RegisterSeat
    holders: list[Membership] | list[RegisterTenure]
    deputies: list[Membership] | list[RegisterTenure]

    @property
    def vacant(self) -> bool:
        return not self.holders

    @property
    def tenures(self) -> list[Any]:
        return [*self.holders, *self.deputies]

    @property
    def lines(self) -> list[Any]:
        """The seat's lines on a register: its holder, or None for "Vacant seat"; then its deputies."""
        holders: list[Any] = list(self.holders)
        return [*(holders or [None]), *self.deputies]


@dataclass
class RegisterEntry:
    organisation: Organisation
    seats: list[SeatRow]
    attendance: AttendanceRate | None

    @property
    def memberships(self) -> list[Any]:
        return [m for row in self.seats for m in row.tenures]


@dataclass
class RegisterGroup:
    """An organisation, or "Local Authorities" holding the fifteen councils, as the ToR shows them."""

    label: str
    entries: list[RegisterEntry] = field(default_factory=list)

    @property
    def is_several(self) -> bool:
        return len(self.entries) > 1 or self.entries[0].organisation.sector == Sector.LOCAL_AUTHORITY


def seat_rows(seats: list[Seat]) -> list[SeatRow]:
    """Seats (their ``tenures_in_force`` prefetched) as register rows: every seat once."""
    rows = []
    for seat in seats:
        tenures = seat.tenures_in_force  # type: ignore[attr-defined]
        rows.append(
            SeatRow(
                seat,
                [m for m in tenures if m.role != Membership.Role.DEPUTY],
                [m for m in tenures if m.role == Membership.Role.DEPUTY],
            )
        )
    return rows


_AUDIT = ("created", "modified", "created_by", "modified_by")


def register_organisations(
    *, day: dt.date, sector: str = "", status: str = "", group: PartnershipGroup | None = None
) -> QuerySet[Organisation]:
    """Current organisations with their seats in force on ``day`` (``seats_in_force``), each with the
    tenures in force then (``tenures_in_force``, persons joined): three queries."""
    # Some 1,300 rows at scale: their audit columns (four a row, two of them timestamps to parse) are
    # never shown on a register, so they are not loaded.
    tenures = (
        Membership.objects.active_on(day)
        .select_related("person")
        .order_by("start_date", "pk")
        .defer(*_AUDIT, *(f"person__{f}" for f in _AUDIT))
    )
    seats = (
        Seat.objects.in_force_on(day).select_related("group").defer(*_AUDIT, *(f"group__{f}" for f in _AUDIT))
    )
    if group is not None:
        seats = seats.filter(group=group)
    organisations = Organisation.objects.current().prefetch_related(
        Prefetch(
            "seats",
            queryset=seats.order_by("group__order", "order", "pk").prefetch_related(
                Prefetch("tenures", queryset=tenures, to_attr="tenures_in_force")
            ),
            to_attr="seats_in_force",
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
    attendance rates when not ``with_attendance``: the register page fills them in apart): two
    queries, and the thousand and more seats and tenures at scale read as rows, not model instances
    (their making was most of the register's cost)."""
    rates = attendance_rates() if with_attendance else {}
    # What a register shows of an authority, and what it sorts and groups them by.
    found = Organisation.objects.current().only("name", "slug", "sector", "duty_status")
    if sector:
        found = found.filter(sector=sector)
    if status:
        found = found.filter(duty_status=status)
    organisations = sorted(found, key=lambda o: (SECTOR_ORDER.get(o.sector, 99), o.name))
    seats: dict[int, list[SeatRow]] = {}
    rows: dict[int, SeatRow] = {}
    # The seats with their tenures in force joined, in one query: a seat nobody holds is one row of
    # empty tenure columns. Chosen by a join on the organisations' filters, not a list of their keys.
    tenure = FilteredRelation(
        "tenures",
        condition=Q(tenures__start_date__lte=day)
        & (Q(tenures__end_date__isnull=True) | Q(tenures__end_date__gte=day)),
    )
    for pk, organisation_id, title, group_id, short_name, name, role, start_date, *person in (
        Seat.objects.in_force_on(day)
        .filter(organisation__in=found)
        .annotate(tenure=tenure)
        .order_by("group__order", "order", "pk", "tenure__start_date", "tenure__pk")
        .values_list(
            "pk",
            "organisation_id",
            "title",
            "group_id",
            "group__short_name",
            "group__name",
            "tenure__role",
            "tenure__start_date",
            "tenure__person__full_name",
            "tenure__person__job_title",
            "tenure__person__email",
            "tenure__person__phone",
        )
    ):
        row = rows.get(pk)
        if row is None:
            row = rows[pk] = SeatRow(RegisterSeat(pk, title, group_id, short_name or name), [], [])
            seats.setdefault(organisation_id, []).append(row)
        if role is None:
            continue
        full_name, job_title, email, phone = person
        tenure_row = RegisterTenure(
            role, start_date, RegisterPerson(full_name, job_title or "", email or "", phone or "")
        )
        (row.deputies if role == Membership.Role.DEPUTY else row.holders).append(tenure_row)  # type: ignore[arg-type]
    groups: dict[str, RegisterGroup] = {}
    for organisation in organisations:
        groups.setdefault(
            organisation.display_group, RegisterGroup(organisation.display_group)
        ).entries.append(
            RegisterEntry(organisation, seats.get(organisation.pk, []), rates.get(organisation.pk))
        )
    return list(groups.values())


def attendance_rate_texts() -> tuple[dict[int, str], str]:
    """Each organisation's attendance rate as the register shows it, and what it shows for one with
    none: one query, two when no authority has a rate."""
    texts = {pk: str(rate) for pk, rate in attendance_rates().items()}
    # A rate at all means a meeting was held: asked only when there is none.
    held = bool(texts) or any_meeting_held()
    return texts, str(_("Not recorded") if held else _("No meetings yet"))


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


@dataclass
class TenureEnding:
    """What ending a tenure on a day does: the seat's state after it and the meetings to come it moves."""

    membership: Membership
    end_date: dt.date
    successor: Membership | None
    meetings: list[Meeting]

    @property
    def vacant_from(self) -> dt.date:
        return self.end_date + dt.timedelta(days=1)


def tenure_ending(membership: Membership, end_date: dt.date) -> TenureEnding:
    """For the confirmation page: who (if anyone) holds the seat next, and the meetings not yet held
    after the last day whose registers will follow."""
    successor = None
    if membership.role != Membership.Role.DEPUTY:
        successor = (
            Membership.objects.holders()
            .filter(seat_id=membership.seat_id, start_date__gt=end_date)
            .exclude(pk=membership.pk)
            .select_related("person")
            .order_by("start_date")
            .first()
        )
    meetings = list(
        Meeting.objects.filter(
            group_id=membership.group_id, status=Meeting.Status.SCHEDULED, date__gt=end_date
        ).order_by("date")
    )
    return TenureEnding(membership, end_date, successor, meetings)
