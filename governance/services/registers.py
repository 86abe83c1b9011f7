"""Writes to the registers: memberships, organisations and the Terms of Reference.

Every function is keyword-only, takes the acting user, runs in one transaction and validates with
``full_clean()``. The database enforces the membership rules too (migration 0003): if another request
wins a race between our check and our write, the ``IntegrityError`` is turned into the same
``ValidationError`` the check would have given, naming the field, so callers show a form error.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.authorship import ActingUser, author, stamp

from ..models import (
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    TermsOfReference,
    svrp_lookup,
)

# The names of the database rules (migration 0003 and the model's Meta), mapped to the field to blame.
_CONSTRAINT_FIELDS = {
    "governance_membership_no_overlap": (
        "start_date",
        "This person already has a membership of this group whose dates overlap. "
        "End that membership first or change these dates.",
    ),
    "governance_one_chair_per_group": (
        "role",
        "This group already has a chair for these dates: a group has one chair at a time. "
        "End that membership first or choose another role.",
    ),
    "governance_membership_end_after_start": ("end_date", "The end date must be on or after the start date."),
}


def membership_integrity_error(exc: IntegrityError) -> ValidationError:
    """The ValidationError, naming the field, for a membership rule the database refused."""
    text = str(exc)
    for constraint, (field, message) in _CONSTRAINT_FIELDS.items():
        if constraint in text:
            return ValidationError({field: _(message)})
    return ValidationError(_("The membership could not be saved because it conflicts with another record."))


def membership_save(*, acting_user: ActingUser, membership: Membership) -> Membership:
    """Validate and save a tenure; a database refusal becomes a ValidationError naming the field.

    Every write of a tenure comes here (the admin too), so the registers of the group's meetings not
    yet held are brought into line in the same transaction.
    """
    membership.full_clean()
    if membership.pk is None:
        membership.created_by = author(acting_user)
    membership.modified_by = author(acting_user)
    try:
        with transaction.atomic():
            membership.save()
            # The registers of meetings to come follow the tenures in force on their dates.
            tenures_changed(group_id=membership.group_id)
    except IntegrityError as exc:
        raise membership_integrity_error(exc) from exc
    return membership


@transaction.atomic
def membership_start(
    *,
    acting_user: ActingUser,
    person: Person,
    seat: Seat,
    start_date: dt.date,
    role: str = Membership.Role.MEMBER,
    end_date: dt.date | None = None,
) -> Membership:
    """Begin a person's tenure in a seat: as its holder (member, chair, adviser) or its deputy."""
    membership = Membership(person=person, seat=seat, role=role, start_date=start_date, end_date=end_date)
    return membership_save(acting_user=acting_user, membership=membership)


@transaction.atomic
def seat_create(
    *,
    acting_user: ActingUser,
    group: PartnershipGroup,
    organisation: Organisation,
    title: str,
    voting: bool = True,
    order: int = 0,
) -> Seat:
    """Give an authority a seat on a group; it is vacant until someone holds it."""
    seat = Seat(group=group, organisation=organisation, title=title.strip(), voting=voting, order=order)
    stamp(seat, acting_user, new=True)
    seat.full_clean()
    seat.save()
    tenures_changed(group_id=seat.group_id)
    return seat


@transaction.atomic
def seat_archive(*, acting_user: ActingUser, seat: Seat, on: dt.date | None = None) -> Seat:
    """Archive a seat: a deliberate act, apart from ending the tenures in it (which leaves it vacant).

    Refused while someone holds the seat or its deputy's tenure runs on or after the day: end those first.
    """
    day = on or timezone.localdate()
    if seat.archived_at is not None:
        return seat
    running = seat.tenures.filter(Q(end_date__isnull=True) | Q(end_date__gte=day)).select_related("person")
    if running:
        raise ValidationError(
            _(
                "%(people)s still hold the seat %(seat)s on or after %(day)s. End their tenures first: "
                "archiving a seat removes it from the register and from the meetings to come."
            )
            % {
                "people": ", ".join(str(m.person) for m in running),
                "seat": seat,
                "day": day.strftime("%d/%m/%Y"),
            }
        )
    seat.archived_at = timezone.now()
    stamp(seat, acting_user, new=False)
    seat.full_clean()
    seat.save()
    tenures_changed(group_id=seat.group_id)
    return seat


def tenures_changed(*, group_id: int) -> None:
    """The registers of the group's meetings not yet held follow its seats and tenures: call after any
    write of either (the services do; the admin, which saves its own forms, does too)."""
    from .meetings import attendance_sync_group

    attendance_sync_group(group_id=group_id)


@transaction.atomic
def membership_end(*, acting_user: ActingUser, membership: Membership, end_date: dt.date) -> Membership:
    """End a tenure on a day (inclusive): the register keeps it as history and the seat stays, vacant
    unless someone else holds it."""
    membership.end_date = end_date
    return membership_save(acting_user=acting_user, membership=membership)


@transaction.atomic
def membership_replace(
    *, acting_user: ActingUser, membership: Membership, person: Person, start_date: dt.date
) -> Membership:
    """Hand a seat to its next holder, in the same role: the tenure ends the day before the new one
    starts (end dates are inclusive), both through ``membership_end`` and ``membership_start``."""
    if start_date <= membership.start_date:
        raise ValidationError(
            {
                "start_date": _("The new holder must start after %(day)s, when this tenure began.")
                % {"day": membership.start_date.strftime("%d/%m/%Y")}
            }
        )
    if person.pk == membership.person_id:
        raise ValidationError({"person": _("Choose someone other than the person who holds the seat now.")})
    last_day = start_date - dt.timedelta(days=1)
    if membership.end_date is None or membership.end_date > last_day:
        membership_end(acting_user=acting_user, membership=membership, end_date=last_day)
    return membership_start(
        acting_user=acting_user,
        person=person,
        seat=membership.seat,
        start_date=start_date,
        role=membership.role,
    )


@transaction.atomic
def organisation_archive(
    *, acting_user: ActingUser, organisation: Organisation, on: dt.date | None = None
) -> Organisation:
    """Archive an organisation (never delete it), end the memberships that represent it and archive its
    seats.

    Memberships in force end the day before the archive day; one that has not started yet cannot be
    ended before it starts, so the archive is refused with a message asking for it to be re-dated first.
    """
    day = on or timezone.localdate()
    if organisation.archived_at is not None:
        return organisation
    future = Membership.objects.filter(organisation=organisation, start_date__gt=day)
    if future.exists():
        raise ValidationError(
            _(
                "%(organisation)s has memberships starting after %(day)s. Change or end them before "
                "archiving the organisation."
            )
            % {"organisation": organisation, "day": day.strftime("%d/%m/%Y")}
        )
    # The day before the archive is the last day the authority was represented (end dates are inclusive).
    last_day = day - dt.timedelta(days=1)
    for membership in Membership.objects.filter(organisation=organisation).active_on(day):
        membership_end(
            acting_user=acting_user, membership=membership, end_date=max(membership.start_date, last_day)
        )
    # Its seats go with it (the tenures in them have just ended), so none is left vacant on a register.
    for seat in Seat.objects.current().filter(organisation=organisation):
        seat_archive(acting_user=acting_user, seat=seat, on=day)
    organisation.archived_at = timezone.now()
    organisation.modified_by = author(acting_user)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def terms_of_reference_approve(
    *,
    acting_user: ActingUser,
    terms: TermsOfReference,
    approved_on: dt.date,
    approved_at_meeting: Meeting | None = None,
    summary_of_changes: str | None = None,
) -> TermsOfReference:
    """Approve a version: the group's approved version (if any) is superseded.

    The new version starts without a revision flag: it is the revision.
    """
    if terms.status == TermsOfReference.Status.APPROVED:
        raise ValidationError({"status": _("This version is already approved.")})
    if approved_on is None:
        raise ValidationError({"approved_on": _("Enter the date the version was approved.")})
    previous = (
        TermsOfReference.objects.select_for_update()
        .filter(group_id=terms.group_id, status=TermsOfReference.Status.APPROVED)
        .exclude(pk=terms.pk)
    )
    for old in previous:
        old.status = TermsOfReference.Status.SUPERSEDED
        old.modified_by = author(acting_user)
        old.save()
    terms.status = TermsOfReference.Status.APPROVED
    terms.approved_on = approved_on
    terms.approved_at_meeting = approved_at_meeting
    if summary_of_changes is not None:
        terms.summary_of_changes = summary_of_changes
    terms.revision_required = False
    terms.revision_reason = ""
    terms.modified_by = author(acting_user)
    terms.full_clean()
    terms.save()
    return terms


@transaction.atomic
def terms_of_reference_flag_revision(*, acting_user: ActingUser, reason: str) -> TermsOfReference | None:
    """Flag the SVRP's current approved Terms of Reference as needing revision, with the reason.

    Called by the Crest tracker when a recommendation is achieved (the ToR requires the revision).
    Reasons accumulate until a new version is approved. Returns the flagged version, or None when the
    SVRP has no approved version to flag.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"revision_reason": _("Enter the reason a revision is required.")})
    terms = (
        TermsOfReference.objects.select_for_update()
        .filter(
            svrp_lookup("group__"),
            status=TermsOfReference.Status.APPROVED,
        )
        .order_by("group__order", "pk")
        .first()
    )
    if terms is None:
        return None
    reasons = [line for line in terms.revision_reason.splitlines() if line.strip()]
    if reason not in reasons:
        reasons.append(reason)
    terms.revision_reason = "\n".join(reasons)
    terms.revision_required = True
    stamp(terms, acting_user)
    terms.full_clean()
    terms.save()
    return terms
