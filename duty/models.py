"""What the Serious Violence Duty asks of the partnership beyond its meetings.

- The Duty's documents: the Strategic Needs Assessment and the Response Strategy, each kept as numbered
  versions (file, summary, approval by a recorded decision, review due date), with the Response
  Strategy's priorities linked to Theory of Change activities and to the strategies they align with.
- The register of those strategies and the partnerships that own them (CSP and HIPS strategies).
- The concordat (ToC 1.b): its versions and, for each local authority area and specified authority,
  when it was sent, to whom, and when it was acknowledged; each chase of the outstanding ones.
- The delivery plans (VRU Delivery Plan, SVD Grant Delivery Plan) and their milestones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tags import coloured
from core.uploads import safe_upload_name
from core.validators import single_line
from governance.models import (
    RAG,
    Decision,
    Organisation,
    Person,
    TheoryOfChangeActivity,
    TimeStamped,
)
from governance.models.base import Archivable
from performance.models import Grant, SpendReturn

# The review of each of the Duty's documents is annual.
REVIEW_INTERVAL_DAYS = 365


class Strategy(TimeStamped, Archivable):
    """A strategy the Response Strategy aligns with, and the partnership that owns it."""

    class Kind(models.TextChoices):
        CSP = "csp", _("Community Safety Partnership strategy")
        HIPS = "hips", _("HIPS strategy")

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    owner = models.CharField(_("owning partnership"), max_length=200, validators=[single_line])
    url = models.URLField(_("web address"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = _("strategies")
        constraints = [models.UniqueConstraint(fields=["name"], name="duty_strategy_unique_name")]

    def __str__(self) -> str:
        return self.name


class DocumentQuerySet(models.QuerySet["DutyDocument"]):
    def approved(self) -> DocumentQuerySet:
        return self.filter(status=DutyDocument.Status.APPROVED)

    def review_due_by(self, day: dt.date) -> DocumentQuerySet:
        """Approved versions, the latest of their kind, whose review falls on or before ``day``."""
        latest = [doc.pk for doc in self.model.objects.current_versions()]
        return self.filter(pk__in=latest, review_due__lte=day)

    def current_versions(self) -> list[DutyDocument]:
        """The latest approved version of each kind (two queries at most, whatever the history)."""
        found: dict[str, DutyDocument] = {}
        for document in self.approved().select_related("decision__meeting").order_by("kind", "-version"):
            found.setdefault(document.kind, document)
        return list(found.values())


@coloured("duty_document_status", {"draft": "grey", "approved": "green"})
class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class DutyDocument(TimeStamped):
    """One version of the Strategic Needs Assessment or the Response Strategy."""

    class Kind(models.TextChoices):
        NEEDS_ASSESSMENT = "needs_assessment", _("Strategic Needs Assessment")
        RESPONSE_STRATEGY = "response_strategy", _("Response Strategy")

    Status = DocumentStatus

    kind = models.CharField(_("document"), max_length=30, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    summary = models.TextField(_("summary"))
    file = models.FileField(_("file"), upload_to=safe_upload_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_documents",
        verbose_name=_("approving decision"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="duty_document_one_per_kind_version"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(decision__isnull=False) & Q(approved_on__isnull=False) & Q(review_due__isnull=False)),
                name="duty_document_approved_by_a_decision",
                violation_error_message=_("An approved version needs its decision and review date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def review_overdue(self, today: dt.date) -> bool:
        return self.review_due is not None and self.review_due < today


class Priority(TimeStamped):
    """A priority of a Response Strategy version."""

    document = models.ForeignKey(DutyDocument, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("priority"), max_length=300, validators=[single_line])
    toc_activities = models.ManyToManyField(
        TheoryOfChangeActivity,
        blank=True,
        related_name="duty_priorities",
        verbose_name=_("Theory of Change activities"),
    )
    strategies = models.ManyToManyField(
        Strategy, blank=True, related_name="priorities", verbose_name=_("aligned strategies")
    )
    history = HistoricalRecords(m2m_fields=[toc_activities, strategies])

    class Meta:
        ordering = ["document", "number"]
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="duty_priority_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def clean(self) -> None:
        if self.document_id and self.document.kind != DutyDocument.Kind.RESPONSE_STRATEGY:
            raise ValidationError({"document": _("Only the Response Strategy has priorities.")})


# --- The concordat ----------------------------------------------------------------------------------


class Concordat(TimeStamped):
    version = models.PositiveSmallIntegerField(_("version"))
    issued_on = models.DateField(_("issued on"))
    summary = models.TextField(_("summary"), blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["version"], name="duty_concordat_unique_version")]

    def __str__(self) -> str:
        return _("Concordat v%(version)s") % {"version": self.version}


class Dissemination(TimeStamped):
    """The concordat sent to one specified authority in one local authority area."""

    concordat = models.ForeignKey(Concordat, on_delete=models.PROTECT, related_name="disseminations")
    area = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("local authority area")
    )
    authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("specified authority")
    )
    sent_on = models.DateField(_("sent on"))
    sent_to = models.CharField(_("sent to"), max_length=200, validators=[single_line])
    email = models.EmailField(_("e-mail address"), blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["concordat", "area__name", "authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["concordat", "area", "authority"], name="duty_dissemination_once_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True) | Q(acknowledged_on__gte=models.F("sent_on")),
                name="duty_dissemination_acknowledged_after_sent",
                violation_error_message=_("The acknowledgement must be on or after the day it was sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concordat} to {self.authority} in {self.area}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_on is not None


class Chase(models.Model):
    """One chase of a concordat's outstanding acknowledgements, asked for by VRU staff."""

    concordat = models.ForeignKey(Concordat, on_delete=models.PROTECT, related_name="chases")
    requested_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outstanding = models.PositiveIntegerField(_("outstanding when asked"))

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Chase of {self.concordat} at {self.requested_at:%Y-%m-%d %H:%M}"


# --- Delivery plans ---------------------------------------------------------------------------------


class DeliveryPlan(TimeStamped):
    class Kind(models.TextChoices):
        VRU = "vru", _("VRU Delivery Plan")
        SVD_GRANT = "svd_grant", _("SVD Grant Delivery Plan")

    kind = models.CharField(_("plan"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("financial year starting"))
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="duty_plan_one_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}/{(self.year + 1) % 100:02d}"


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def open(self) -> MilestoneQuerySet:
        return self.exclude(status=Milestone.Status.COMPLETE)

    def slipping(self, today: dt.date) -> MilestoneQuerySet:
        """Not complete and past their due date."""
        return self.open().filter(due_date__lt=today)


@coloured(
    "milestone_status",
    {"not_started": "grey", "in_progress": "blue", "complete": "green", "deferred": "yellow"},
)
class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")
    DEFERRED = "deferred", _("Deferred")


class Milestone(TimeStamped):
    Status = MilestoneStatus

    plan = models.ForeignKey(DeliveryPlan, on_delete=models.PROTECT, related_name="milestones")
    reference = models.CharField(_("reference"), max_length=20, validators=[single_line])
    title = models.CharField(_("milestone"), max_length=300, validators=[single_line])
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="milestones")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="milestones")
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    rag = models.CharField(_("RAG"), max_length=10, choices=RAG.choices, blank=True)
    toc_activities = models.ManyToManyField(
        TheoryOfChangeActivity,
        blank=True,
        related_name="milestones",
        verbose_name=_("Theory of Change activities"),
    )
    # A grant line: the grant (VRU or SVD) and, for a split grant, labour or non-labour.
    grant = models.ForeignKey(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="milestones"
    )
    grant_category = models.CharField(
        _("grant line"), max_length=20, choices=SpendReturn.Category.choices, blank=True
    )
    history = HistoricalRecords(m2m_fields=[toc_activities])

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "due_date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="duty_milestone_unique_reference"),
            models.CheckConstraint(
                condition=Q(status="complete", completed_on__isnull=False)
                | (~Q(status="complete") & Q(completed_on__isnull=True)),
                name="duty_milestone_completed_on_iff_complete",
                violation_error_message=_(
                    "A complete milestone has the day it was completed, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(grant_category="") | Q(grant__isnull=False),
                name="duty_milestone_grant_line_needs_grant",
                violation_error_message=_("Choose the grant before its line."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_slipping(self, today: dt.date) -> bool:
        return self.status != self.Status.COMPLETE and self.due_date < today

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        grant = self.grant if self.grant_id is not None else None
        if grant is not None and self.plan_id and self.plan.kind != DeliveryPlan.Kind.SVD_GRANT:
            errors["grant"] = _("Only the SVD Grant Delivery Plan's milestones are linked to a grant line.")
        if grant is not None and self.grant_category and not grant.is_split:
            errors["grant_category"] = _("This grant is not split into labour and non-labour.")
        if grant is not None and grant.is_split and not self.grant_category:
            errors["grant_category"] = _("Select labour or non-labour for the SVD grant.")
        if errors:
            raise ValidationError(errors)
