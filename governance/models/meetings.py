"""Meetings of any group: agenda, papers, attendance, declarations, sub-group updates, minutes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tags import coloured
from core.validators import single_line

from ..quarters import FinancialQuarter
from .base import RAG, TimeStamped
from .registers import Organisation, PartnershipGroup, Person


def paper_upload_to(instance: models.Model, filename: str) -> str:
    """Non-guessable storage name; only the extension of the uploaded name survives."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    return f"papers/{uuid.uuid4().hex}{suffix}"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def in_quarter(self, quarter: FinancialQuarter) -> MeetingQuerySet:
        return self.filter(date__gte=quarter.start, date__lte=quarter.end)

    def upcoming(self, today) -> MeetingQuerySet:  # type: ignore[no-untyped-def]
        return self.filter(date__gte=today, status="scheduled").order_by("date", "start_time")


class Meeting(TimeStamped):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey(PartnershipGroup, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[single_line])
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True, validators=[single_line])
    online_link = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["group", "date"], name="governance_meeting_group_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="governance_meeting_ends_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.group} meeting, {self.date:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])

    @property
    def quarter(self) -> FinancialQuarter:
        return FinancialQuarter.of(self.date)

    @property
    def has_happened(self) -> bool:
        """Its date has come (in the portal's time zone): only then can it be held, minuted or judged."""
        return self.date is not None and self.date <= timezone.localdate()

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.HELD and self.date is not None and not self.has_happened:
            raise ValidationError(
                {"status": _("A meeting can be marked as held only once its date has come.")}
            )


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    presenter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("presenter")
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="governance_agenda_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Paper(TimeStamped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="papers"
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    file = models.FileField(_("file"), upload_to=paper_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=10)  # pdf, docx, xlsx, pptx (sniffed)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    # Confidential papers are for the board only and never published.
    confidential = models.BooleanField(_("confidential"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agenda_item__order", "title"]

    def __str__(self) -> str:
        return self.title


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def representing(self) -> AttendanceQuerySet:
        """Rows that represented their authority (``Attendance.REPRESENTING``); count them by authority."""
        return self.filter(status__in=Attendance.REPRESENTING)


class Attendance(TimeStamped):
    class Status(models.TextChoices):
        EXPECTED = "expected", _("Not yet recorded")
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Apologies")
        DEPUTY = "deputy", _("Deputy sent")
        ABSENT = "absent", _("Absent")
        GUEST = "guest", _("Guest")

    # The one rule of representation: whoever attends for an authority credits it: the seat's holder
    # present, a deputy or another officer named on the day, or a guest recorded as attending for it.
    # Every count of representation is by the row's authority, so a guest for no authority credits none.
    REPRESENTING = ("present", "deputy", "guest")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    # The member expected (pre-filled from memberships on the meeting date); null for a guest.
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="attendance"
    )
    membership = models.ForeignKey(
        "governance.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="attendance"
    )
    # The seat this row is for: the register has one row per seat in force on the meeting's date, held
    # or vacant. Null for a guest and for rows recorded before seats were records.
    seat = models.ForeignKey(
        "governance.Seat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("seat"),
    )
    # The authority represented (the seat's; a guest's when they came for one): anyone attending counts.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices, default=Status.EXPECTED)
    deputy = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputised",
        verbose_name=_("deputy"),
    )
    deputy_name = models.CharField(
        _("deputy's name (if not in the register)"), max_length=200, blank=True, validators=[single_line]
    )
    guest_name = models.CharField(_("guest's name"), max_length=200, blank=True, validators=[single_line])
    guest_organisation = models.CharField(
        _("guest's organisation"), max_length=200, blank=True, validators=[single_line]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "organisation__name", "person__full_name", "guest_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="governance_attendance_one_row_per_member",
            ),
            models.UniqueConstraint(
                fields=["meeting", "seat"],
                condition=Q(seat__isnull=False),
                name="governance_attendance_one_row_per_seat",
            ),
            models.CheckConstraint(
                condition=~Q(status="guest") | ~Q(guest_name=""),
                name="governance_attendance_guest_named",
                violation_error_message=_("Enter the guest's name."),
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.guest_name
        return f"{who} at {self.meeting}: {self.get_status_display()}"

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # replaces the generated one
        # As Action.get_status_display: one enum lookup, not a dict of every translated choice per call.
        return str(self.Status(self.status).label) if self.status in self.Status.values else str(self.status)

    @property
    def who(self) -> str:
        """The row's name on the register: the person, the guest, or the vacant seat."""
        if self.person_id:
            return self.person.full_name  # type: ignore[union-attr]
        if self.seat_id and not self.guest_name:
            return _("the vacant seat %(seat)s") % {"seat": self.seat}
        return self.guest_name

    @property
    def represents_authority(self) -> bool:
        return Attendance.represents(self.organisation_id, self.status)  # type: ignore[attr-defined]

    @staticmethod
    def represents(organisation_id: int | None, status: str) -> bool:
        """Someone attended for the row's authority (``REPRESENTING``); a guest for none represents none.
        For a record or a row read without one (``governance.rows.AttendanceRow``)."""
        return organisation_id is not None and status in Attendance.REPRESENTING


class Representation(models.Model):
    """Whether an authority was represented at a meeting (``Attendance.REPRESENTING``): one row per
    meeting and authority with rows in the meeting's register, derived from them.

    Kept by database triggers on ``Attendance`` (``governance.representation``) in the same transaction
    as the rows, whatever writes them (a form, an import, the admin, a queryset ``update()``, a meeting's
    deletion); the portal's code only reads it. The attendance rates count these rows, a few thousand at
    scale, not the twenty thousand and more rows of the registers.
    """

    # No foreign keys in the database: the rows follow the registers' rows, which protect the
    # authority and go with the meeting.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    represented = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="governance_representation_one_per_authority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.organisation_id}: {self.represented}"  # type: ignore[attr-defined]


class RepresentationTally(models.Model):
    """Per authority: at how many held meetings it had rows in the register, and at how many of them it
    was represented: its attendance rate, one row an authority. Kept from ``Representation`` and the
    meetings' status by database triggers (``governance.representation``); the code only reads it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    meetings = models.IntegerField(default=0)
    represented = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.represented} of {self.meetings}"  # type: ignore[attr-defined]


class DeclarationOfInterest(TimeStamped):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    interest = models.TextField(_("interest declared"))
    action_taken = models.CharField(_("action taken"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agenda_item__order", "pk"]
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")

    def __str__(self) -> str:
        return f"{self.person}: {self.interest[:50]}"


class SubgroupUpdate(TimeStamped):
    """A sub-group chair's update for an SVRP meeting (ToR: reporting relationships)."""

    group = models.ForeignKey(PartnershipGroup, on_delete=models.PROTECT, related_name="updates")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="subgroup_updates")
    summary = models.TextField(_("summary"))
    rag = models.CharField(_("RAG status"), max_length=10, choices=RAG.choices)
    escalations = models.TextField(_("issues for escalation"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "group__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "meeting"], name="governance_one_update_per_group_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} update for {self.meeting}"


class Minutes(TimeStamped):
    @coloured("minutes_status", {"draft": "yellow", "approved": "blue", "published": "green"})
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("opening summary"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="minutes_approved"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_on__isnull=False),
                name="governance_minutes_approved_has_date",
                violation_error_message=_("Approved minutes need the date they were approved."),
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        super().clean()
        if self.approved_on is None or self.meeting_id is None:
            return
        if self.approved_on < self.meeting.date:
            raise ValidationError(
                {"approved_on": _("Minutes cannot be approved before the meeting took place.")}
            )
        if self.approved_on > timezone.localdate():
            raise ValidationError(
                {"approved_on": _("The date the minutes were approved cannot be in the future.")}
            )


class MinuteEntry(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="minute_entries")
    text = models.TextField(_("minute"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda_item__order"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "agenda_item"], name="governance_one_minute_per_item")
        ]

    def __str__(self) -> str:
        return f"Minute on {self.agenda_item}"


class Decision(TimeStamped):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    reference = models.CharField(_("reference"), max_length=30, validators=[single_line])
    text = models.TextField(_("decision"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="governance_decision_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"
