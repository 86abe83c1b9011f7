"""The quarterly Home Office report: one per financial quarter, in numbered versions with frozen files.

A version is a draft (regenerated whenever asked) until VRU staff submit it; from then on it never
changes: ``save()`` and ``delete()`` refuse, and database triggers (migration 0002) refuse an UPDATE or
DELETE of a submitted version or of its files, so not even a queryset ``update()`` or a raw statement
gets round it. A correction is a new version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tags import coloured
from governance.models import TimeStamped
from governance.quarters import FinancialQuarter


class ImmutableVersionError(ValidationError):
    """A submitted report version (or one of its files) was about to change."""


def report_file_upload_to(instance: ReportFile, filename: str) -> str:
    version = instance.version
    return f"reports/{version.report.slug}/v{version.number}/{filename}"


class Report(TimeStamped):
    year = models.PositiveSmallIntegerField(_("financial year starting"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="performance_report_one_per_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="performance_report_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return _("Home Office report %(q)s") % {"q": self.fq.label}

    @property
    def fq(self) -> FinancialQuarter:
        return FinancialQuarter(self.year, self.quarter)

    @property
    def slug(self) -> str:
        return self.fq.slug

    def get_absolute_url(self) -> str:
        return reverse("performance:report", args=[self.slug])


class ReportVersion(models.Model):
    @coloured("report_status", {"draft": "yellow", "submitted": "green"})
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField(_("generated"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # Why a version was submitted with figures still unverified (required then, recorded with the version).
    unverified_reason = models.TextField(_("reason for submitting with unverified figures"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="performance_report_version_number"),
            models.UniqueConstraint(
                fields=["report"], condition=Q(status="draft"), name="performance_report_one_draft"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="performance_report_version_from_1"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(submitted_at__isnull=False) & Q(submitted_by__isnull=False)),
                name="performance_report_submitted_signed",
                violation_error_message=_("A submitted version records who submitted it and when."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not a side effect: the triggers enforce the same in the database.
        if self._stored_status() == self.Status.SUBMITTED:
            raise ImmutableVersionError(_("A submitted report version never changes: make a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._stored_status() == self.Status.SUBMITTED:
            raise ImmutableVersionError(_("A submitted report version is never deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return ReportVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()


class ReportFile(models.Model):
    class Kind(models.TextChoices):
        XLSX = "xlsx", _("Spreadsheet (XLSX)")
        PDF = "pdf", _("PDF")
        CSV = "zip", _("CSV files (zip)")

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("format"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=report_file_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["version", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="performance_report_one_file_per_kind"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="performance_report_file_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._version_submitted():
            raise ImmutableVersionError(_("The files of a submitted report version never change."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._version_submitted():
            raise ImmutableVersionError(_("The files of a submitted report version are never deleted."))
        return super().delete(*args, **kwargs)

    @property
    def download_name(self) -> str:
        version = self.version
        return f"home-office-report-{version.report.slug}-v{version.number}.{self.kind}"

    def _version_submitted(self) -> bool:
        return ReportVersion.objects.filter(
            pk=self.version_id, status=ReportVersion.Status.SUBMITTED
        ).exists()
