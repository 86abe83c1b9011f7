"""Quarterly figures per measure, period, area and age band, and corrections of locked figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
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
    # The value as last verified: kept when a verified figure is changed (with the reason), so the
    # verifier sees the old and new values side by side and a verified value is never lost.
    verified_value = models.DecimalField(
        _("verified value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    change_reason = models.CharField(_("reason for the change"), max_length=2000, blank=True)
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

    # The rules of a figure live here, once; the form, the API, the import and the services meet them
    # through ``full_clean`` (or ``clean``), so each refuses the same figure with the same words.

    def clean_values(self) -> None:
        """The rules of the figure's own values, whatever its quarter."""
        errors: dict[str, Any] = {}
        measure = self.measure if self.measure_id else None
        if measure is not None:
            if measure.derived:
                errors["measure"] = _("%(code)s is computed by the portal and cannot be entered.") % {
                    "code": measure.code
                }
            if self.age_band == AgeBand.UNDER_25 and not measure.reports_under_25:
                errors["age_band"] = _("This measure is not reported for under-25s.")
            if (
                measure.is_count
                and self.value is not None
                and Decimal(self.value) != Decimal(self.value).to_integral_value()
            ):
                errors["value"] = _("A count is a whole number.")
        if self.denominator is not None and Decimal(self.denominator) == 0:
            errors["denominator"] = _("The denominator must be more than 0.")
        if errors:
            raise ValidationError(errors)

    def clean_period(self) -> None:
        """The rules of time: a figure is for a quarter that has ended and is not locked."""
        period = self.period if self.period_id else None
        if period is None:
            return
        if not period.has_ended():
            raise ValidationError(
                {
                    "period": _(
                        "%(period)s has not ended yet: figures are accepted once the quarter is over."
                    )
                    % {"period": period.label}
                }
            )
        if period.is_locked:
            raise ValidationError(
                {
                    "period": _(
                        "%(period)s is locked: its figures change only through a recorded correction."
                    )
                    % {"period": period.label}
                }
            )

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for check in (self.clean_values, self.clean_period):
            try:
                check()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


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
