"""The registers of the Terms of Reference: organisations, people, groups, memberships, ToR, ToC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tags import Tag, coloured
from core.validators import single_line

from .base import Archivable, TimeStamped


class Sector(models.TextChoices):
    OPCC = "opcc", _("Office of the Police and Crime Commissioner")
    VRU = "vru", _("Violence Reduction Unit")
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire and Rescue")
    YOUTH_JUSTICE = "youth_justice", _("Youth Justice")
    HEALTH = "health", _("Health / ICB")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    PROBATION = "probation", _("Probation")
    EDUCATION = "education", _("Education")
    PRISON = "prison", _("Prison")
    VOLUNTARY = "voluntary", _("Voluntary sector")


@coloured(
    "duty_status",
    {"specified": "blue", "relevant": "turquoise", "none": "grey"},
    # The Terms of Reference's own word for an agency the Duty does not name.
    shown_as={"none": Tag(_("N/A"), "grey", hint=_("(not a specified or relevant authority)"))},
)
class DutyStatus(models.TextChoices):
    """Status under the Serious Violence Duty (Home Office statutory guidance, December 2022)."""

    SPECIFIED = "specified", _("Specified authority")
    RELEVANT = "relevant", _("Relevant authority")
    NONE = "none", _("Not applicable")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def current(self) -> OrganisationQuerySet:
        return self.filter(archived_at__isnull=True)

    def duty_authorities(self) -> OrganisationQuerySet:
        """Specified and relevant authorities: the "N" of "n of N" attendance."""
        return self.current().filter(duty_status__in=[DutyStatus.SPECIFIED, DutyStatus.RELEVANT])


class Organisation(TimeStamped, Archivable):
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("slug"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True, validators=[single_line])
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    duty_status = models.CharField(
        _("Serious Violence Duty status"), max_length=20, choices=DutyStatus.choices
    )
    # The ToR's own wording for the agency's representation ("Representation from Probation").
    tor_description = models.TextField(_("description in the Terms of Reference"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_reference = models.BooleanField(_("named in the Terms of Reference"), default=False, editable=False)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="governance_organisation_unique_name"),
            models.UniqueConstraint(fields=["slug"], name="governance_organisation_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:organisation", args=[self.slug])

    @property
    def display_group(self) -> str:
        """Local authorities are shown together under "Local Authorities", as in the ToR."""
        if self.sector == Sector.LOCAL_AUTHORITY:
            return str(_("Local Authorities"))
        return self.name

    @property
    def is_duty_authority(self) -> bool:
        return self.duty_status in (DutyStatus.SPECIFIED, DutyStatus.RELEVANT)


class Person(TimeStamped, Archivable):
    full_name = models.CharField(_("full name"), max_length=200, validators=[single_line])
    job_title = models.CharField(_("job title"), max_length=200, blank=True, validators=[single_line])
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True, validators=[single_line])
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people", verbose_name=_("organisation")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("login account"),
    )
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


def svrp_lookup(prefix: str = "") -> Q:
    """What makes a group the SVRP itself (the top-level partnership board), for a filter through a
    relation: ``Meeting.objects.filter(svrp_lookup("group__"))``. The one spelling of the rule."""
    return Q(**{f"{prefix}kind": "partnership", f"{prefix}parent__isnull": True})


class PartnershipGroupQuerySet(models.QuerySet["PartnershipGroup"]):
    def svrp(self) -> PartnershipGroupQuerySet:
        """The SVRP itself (one group; ordered so ``.first()`` is stable)."""
        return self.filter(svrp_lookup()).order_by("order", "pk")


class PartnershipGroup(TimeStamped, Archivable):
    """The SVRP and its sub-groups (TVRP, DAWG, Engagement, Communications, IEO)."""

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership board")
        SUBGROUP = "subgroup", _("Sub-group")

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    short_name = models.CharField(_("short name"), max_length=20, validators=[single_line])
    slug = models.SlugField(_("slug"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subgroups",
        verbose_name=_("reports to"),
    )
    description = models.TextField(_("description"), blank=True)
    # The SVRP also carries out the functions of the VRU Core Group (VRU Grant Agreement).
    acts_as_vru_core_group = models.BooleanField(_("acts as the VRU Core Group"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = PartnershipGroupQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("group")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="governance_group_unique_name"),
            models.UniqueConstraint(fields=["short_name"], name="governance_group_unique_short_name"),
            models.UniqueConstraint(fields=["slug"], name="governance_group_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class SeatQuerySet(models.QuerySet["Seat"]):
    def current(self) -> SeatQuerySet:
        return self.filter(archived_at__isnull=True)

    def in_force_on(self, day: dt.date) -> SeatQuerySet:
        """Seats that existed on a day: not archived, or archived after it."""
        return self.filter(Q(archived_at__isnull=True) | Q(archived_at__date__gt=day))


class Seat(TimeStamped, Archivable):
    """A seat the Terms of Reference gives an authority on a group ("Representation from Probation").

    The ToR names seats, not people: a person holds a seat for a time (a ``Membership``, the tenure),
    and a seat nobody holds is vacant. Ending a tenure leaves the seat; archiving it is a separate act.
    """

    group = models.ForeignKey(
        PartnershipGroup, on_delete=models.PROTECT, related_name="seats", verbose_name=_("group")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="seats", verbose_name=_("authority")
    )
    title = models.CharField(
        _("seat (the Terms of Reference's wording)"), max_length=200, validators=[single_line]
    )
    voting = models.BooleanField(_("voting seat"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_reference = models.BooleanField(_("named in the Terms of Reference"), default=False, editable=False)
    history = HistoricalRecords()

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["group__order", "order", "organisation__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation", "title"],
                condition=Q(archived_at__isnull=True),
                name="governance_seat_unique_current_title",
                violation_error_message=_("This authority already has a seat with that name on the group."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: dt.date) -> MembershipQuerySet:
        """Memberships in force on a day: who sat on which group for which authority."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))

    def current(self) -> MembershipQuerySet:
        from django.utils import timezone

        return self.active_on(timezone.localdate())

    def holders(self) -> MembershipQuerySet:
        """Tenures that hold a seat (a deputy stands in for the holder and does not fill the seat)."""
        return self.exclude(role=Membership.Role.DEPUTY)


class Membership(TimeStamped):
    """A person's tenure in a seat: as its holder (member, chair, adviser) or as its named deputy."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        DEPUTY = "deputy", _("Deputy")
        ADVISER = "adviser", _("Adviser")
        SECRETARIAT = "secretariat", _("Secretariat")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    group = models.ForeignKey(
        PartnershipGroup,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("group"),
        editable=False,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="tenures", verbose_name=_("seat"))
    # The seat's authority (what the person represents), kept from the seat by clean() for the
    # database rules and filters that read it.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("represents"),
        editable=False,
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group__order", "organisation__name", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="governance_membership_end_after_start",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} of {self.group}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def overlapping(self) -> MembershipQuerySet:
        """Other memberships of the same group whose dates (both ends inclusive) meet this one's."""
        others = Membership.objects.filter(group_id=self.group_id).exclude(pk=self.pk)
        if self.end_date is not None:
            others = others.filter(start_date__lte=self.end_date)
        return others.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))

    def take_seat(self) -> None:
        """The group and the authority are the seat's."""
        if self.seat_id:
            self.group_id = self.seat.group_id
            self.organisation_id = self.seat.organisation_id

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        self.take_seat()
        super().clean_fields(exclude=exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.take_seat()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The rules the database also enforces (migration 0003), checked first for a clear message.

        One chair per group at a time; a person holds at most one membership of a group at a time; a
        seat has one holder at a time (deputies aside). The group and the authority are the seat's.
        """
        super().clean()
        self.take_seat()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date must be on or after the start date.")})
        if not (self.group_id and self.start_date):
            return  # the fields' own errors speak first
        overlapping = self.overlapping().select_related("person")
        errors: dict[str, str] = {}
        if self.person_id:
            same = next((m for m in overlapping if m.person_id == self.person_id), None)
            if same is not None:
                errors["start_date"] = _(
                    "%(person)s is already a member of %(group)s %(when)s: the dates of one person's "
                    "memberships of a group cannot overlap. End that membership first or change these dates."
                ) % {"person": same.person, "group": self.group, "when": same.period_text()}
        if self.seat_id and self.role != self.Role.DEPUTY:
            holder = next(
                (m for m in overlapping if m.seat_id == self.seat_id and m.role != self.Role.DEPUTY), None
            )
            if holder is not None and "start_date" not in errors:
                errors["seat"] = _(
                    "%(person)s holds the seat %(seat)s %(when)s: a seat has one holder at a time. End that "
                    "tenure first, or add this person as the seat's deputy."
                ) % {"person": holder.person, "seat": self.seat, "when": holder.period_text()}
        if self.role == self.Role.CHAIR:
            chair = next((m for m in overlapping if m.role == self.Role.CHAIR), None)
            if chair is not None:
                errors["role"] = _(
                    "%(group)s already has a chair, %(person)s, %(when)s: a group has one chair at a time. "
                    "End that membership first or choose another role."
                ) % {"group": self.group, "person": chair.person, "when": chair.period_text()}
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        # clean() already named the end date; do not repeat its message as a non-field error.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            exclude = {*(exclude or ()), "end_date"}
        super().validate_constraints(exclude=exclude)

    def period_text(self) -> str:
        start = date_format(self.start_date, "j F Y")
        if self.end_date is None:
            return _("from %(start)s") % {"start": start}
        return _("from %(start)s to %(end)s") % {"start": start, "end": date_format(self.end_date, "j F Y")}


class TermsOfReference(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    group = models.ForeignKey(
        PartnershipGroup, on_delete=models.PROTECT, related_name="terms_of_reference", verbose_name=_("group")
    )
    version = models.CharField(_("version"), max_length=20, validators=[single_line])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        "governance.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_terms_of_reference",
        verbose_name=_("approved at meeting"),
    )
    summary_of_changes = models.TextField(_("summary of changes"), blank=True)
    # Set when a Crest recommendation is achieved (the ToR must be revised to reflect it);
    # cleared when a new version is approved.
    revision_required = models.BooleanField(_("revision required"), default=False)
    revision_reason = models.TextField(_("reason a revision is required"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "-created"]
        verbose_name = _("Terms of Reference version")
        constraints = [
            models.UniqueConstraint(fields=["group", "version"], name="governance_tor_unique_version"),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status="approved"),
                name="governance_tor_one_approved_per_group",
                violation_error_message=_(
                    "Only one version of the Terms of Reference can be approved at a time."
                ),
            ),
            # No check that an approved version has its approval date: the version loaded from the
            # source document records none (ADR 0001). Approvals made in the portal always carry one
            # (services.registers.terms_of_reference_approve requires it).
        ]

    def __str__(self) -> str:
        return f"{self.group} Terms of Reference v{self.version} ({self.get_status_display()})"


class TermsOfReferenceSection(models.Model):
    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"))
    heading = models.CharField(_("heading"), max_length=200, validators=[single_line])
    body = models.TextField(_("text"))
    # The document's footnotes for this section, numbered as in the body's "[n]" markers.
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["terms", "order"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "order"], name="governance_tor_section_unique_order"),
        ]

    def __str__(self) -> str:
        return self.heading


class TheoryOfChangeActivity(TimeStamped):
    """The ToC activities the SVRP delivers (1.a–1.d) and its further functions."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Theory of Change activity")
        FUNCTION = "function", _("Further function of the SVRP")

    code = models.CharField(_("code"), max_length=20, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    description = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("Theory of Change activity")
        verbose_name_plural = _("Theory of Change activities")
        constraints = [models.UniqueConstraint(fields=["code"], name="governance_toc_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
