"""The Crest Advisory recommendations tracker: source reports, recommendations, evidence, progress."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tags import coloured
from core.validators import single_line
from governance.models import (
    RAG,
    Action,
    Archivable,
    Meeting,
    Organisation,
    Person,
    TheoryOfChangeActivity,
    TimeStamped,
)


class SourceReport(TimeStamped):
    """A report whose recommendations the partnership tracks (the 2023 assessment, later reviews)."""

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    short_name = models.CharField(_("short name"), max_length=40, validators=[single_line])
    author = models.CharField(_("author"), max_length=200, default="Crest Advisory", validators=[single_line])
    published_on = models.DateField(_("published"))
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["published_on", "title"]
        verbose_name = _("source report")
        constraints = [
            models.UniqueConstraint(fields=["short_name"], name="crest_report_unique_short_name"),
        ]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance: models.Model, filename: str) -> str:
    """Non-guessable storage name; only the extension of the uploaded name survives."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"crest/evidence/{uuid.uuid4().hex}{suffix}"


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def current(self) -> RecommendationQuerySet:
        return self.filter(archived_at__isnull=True)

    def publishable(self) -> RecommendationQuerySet:
        return self.current().filter(publishable=True)

    def for_tracker(self) -> RecommendationQuerySet:
        """Everything the tracker table shows, in a fixed number of queries whatever the size."""
        latest = ProgressEntry.objects.filter(recommendation=OuterRef("pk")).order_by(
            "-date", "-created", "-pk"
        )
        return (
            self.current()
            .select_related("report", "owner_person", "owner_organisation")
            .annotate(
                latest_progress_text=Subquery(latest.values("text")[:1]),
                latest_progress_date=Subquery(latest.values("date")[:1]),
            )
            .prefetch_related(
                models.Prefetch(
                    "actions",
                    queryset=Action.objects.for_list().with_overdue().order_by("due_date", "reference"),
                )
            )
        )


class Recommendation(TimeStamped, Archivable):
    class Response(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    @coloured(
        "recommendation_status",
        {"not_started": "yellow", "in_progress": "blue", "achieved": "green", "closed": "grey"},
    )
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        CLOSED = "closed", _("Closed")

    report = models.ForeignKey(
        SourceReport, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("report")
    )
    # Crest Advisory's own numbering ("4.1"): the ToR aligns to it.
    number = models.CharField(_("number"), max_length=20, validators=[single_line])
    text = models.TextField(_("recommendation"))
    owner_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="crest_recommendations",
        verbose_name=_("owner"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="crest_recommendations",
        verbose_name=_("owning organisation"),
    )
    response = models.CharField(
        _("response"), max_length=20, choices=Response.choices, default=Response.ACCEPTED
    )
    response_reason = models.TextField(_("reason for the response"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField(_("RAG rating"), max_length=10, choices=RAG.choices, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    evidence = models.TextField(_("evidence of achievement"), blank=True)
    # Nothing here is public unless a recommendation is marked publishable.
    publishable = models.BooleanField(_("publishable"), default=False)
    actions = models.ManyToManyField(
        Action, blank=True, related_name="crest_recommendations", verbose_name=_("linked actions")
    )
    toc_activities = models.ManyToManyField(
        TheoryOfChangeActivity,
        blank=True,
        related_name="crest_recommendations",
        verbose_name=_("Theory of Change activities"),
    )
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    # Board sign-off: the SVRP meeting where achievement was agreed.
    signed_off_at_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="crest_sign_offs",
        verbose_name=_("signed off at meeting"),
    )
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True)
    # The link tables keep their history too: who linked which actions and ToC activities, and when.
    history = HistoricalRecords(m2m_fields=[actions, toc_activities])

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["report__published_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="crest_recommendation_unique_number_per_report",
                violation_error_message=_("This report already has a recommendation with that number."),
            ),
            models.CheckConstraint(
                condition=Q(response="accepted") | ~Q(response_reason=""),
                name="crest_recommendation_reason_unless_accepted",
                violation_error_message=_(
                    "Give the reason when a recommendation is only partly accepted or not accepted."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="achieved")
                | Q(
                    achieved_on__isnull=False,
                    signed_off_at_meeting__isnull=False,
                    signed_off_on__isnull=False,
                ),
                name="crest_recommendation_achieved_is_signed_off",
                violation_error_message=_(
                    "An achieved recommendation needs the date and the meeting where the board signed it off."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("crest:detail", args=[self.number])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return Recommendation.overdue_on(self.status, self.target_date, today or timezone.localdate())

    @staticmethod
    def overdue_on(status: str, target_date: dt.date | None, today: dt.date) -> bool:
        """The rule of an overdue recommendation: open, with a target date passed. For a record or a
        row read without one (``crest.tracker_rows``)."""
        return (
            status in (Recommendation.Status.NOT_STARTED, Recommendation.Status.IN_PROGRESS)
            and target_date is not None
            and target_date < today
        )


class EvidenceFile(TimeStamped):
    """A file evidencing achievement, served only through a permission-checked view."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="evidence_files"
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=10)  # pdf, docx, xlsx, pptx (sniffed)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "created"]
        verbose_name = _("evidence file")

    def __str__(self) -> str:
        return self.title


class ProgressEntry(TimeStamped):
    """The dated progress log of a recommendation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="progress_entries"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress"))
    rag = models.CharField(_("RAG rating"), max_length=10, choices=RAG.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created", "-pk"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        indexes = [models.Index(fields=["recommendation", "date"], name="crest_progress_rec_date")]

    def __str__(self) -> str:
        return f"{self.recommendation.number} {self.date}: {self.text[:40]}"
