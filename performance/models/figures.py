"""Quarterly figures per measure, period, area and age band, and corrections of locked figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tags import coloured
from governance.models import TimeStamped

from .framework import AgeBand, Area, Measure, Period


class FigureQuerySet(models.QuerySet["Figure"]):
    def with_related(self) -> FigureQuerySet:
        return self.select_related("measure", "period", "area", "submitted_by", "verified_by")

    def submitted(self) -> FigureQuerySet:
        return self.filter(status=Figure.Status.SUBMITTED)

    def verified(self) -> FigureQuerySet:
        return self.filter(status=Figure.Status.VERIFIED)

    def reported(self) -> FigureQuerySet:
        """Figures past draft: submitted by their organisation, verified or awaiting it."""
        return self.filter(status__in=[Figure.Status.SUBMITTED, Figure.Status.VERIFIED])


class Figure(TimeStamped):
    @coloured("figure_status", {"draft": "grey", "submitted": "blue", "verified": "green"})
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="figures")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="figures")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="figures")
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.ALL)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    numerator = models.DecimalField(_("numerator"), max_digits=12, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["measure__order", "period__year", "period__quarter", "area__order", "age_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "area", "age_band"],
                name="performance_figure_one_per_measure_period_area_age",
                violation_error_message=_(
                    "There is already a figure for this measure, quarter, area and age."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="performance_figure_value_not_negative",
                violation_error_message=_("A figure cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="performance_figure_denominator_positive",
                violation_error_message=_("The denominator must be more than 0."),
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="performance_figure_verified_has_date",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="performance_figure_period_st")]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period} {self.area} ({self.get_age_band_display()}): {self.value}"


class FigureCorrection(models.Model):
    """A change to a figure of a locked period: the old and new value, why, who and when."""

    figure = models.ForeignKey(Figure, on_delete=models.PROTECT, related_name="corrections")
    old_value = models.DecimalField(_("old value"), max_digits=12, decimal_places=2)
    new_value = models.DecimalField(_("new value"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(_("corrected"))

    class Meta:
        ordering = ["figure", "corrected_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="performance_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.figure}: {self.old_value} → {self.new_value}"
