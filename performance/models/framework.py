"""The framework itself: outcomes, measures, reporting areas and quarterly periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tags import Tag, coloured
from core.validators import single_line
from governance.models import RAG, RAG_COLOURS, Archivable, Organisation, TimeStamped
from governance.quarters import FinancialQuarter


class Outcome(TimeStamped):
    code = models.CharField(_("code"), max_length=20, validators=[single_line])
    text = models.CharField(_("outcome"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="performance_outcome_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class AgeBand(models.TextChoices):
    """Figures carry their age band: the Home Office measures are reported for all ages and under 25."""

    ALL = "all", _("All ages")
    UNDER_25 = "under_25", _("Under 25")


class MeasureQuerySet(models.QuerySet["Measure"]):
    def current(self) -> MeasureQuerySet:
        return self.filter(archived_at__isnull=True)

    def entered(self) -> MeasureQuerySet:
        """Measures whose figures people enter (not computed by the portal)."""
        return self.current().filter(derived=False)

    def for_organisation(self, organisation_id: int | None) -> MeasureQuerySet:
        return self.entered().filter(data_source_id=organisation_id)


class Measure(TimeStamped, Archivable):
    class Unit(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENTAGE = "percentage", _("Percentage")
        RATE = "rate", _("Rate per 100,000")

    class Direction(models.TextChoices):
        LOWER = "lower", _("Lower is better")
        HIGHER = "higher", _("Higher is better")

    code = models.CharField(
        _("code"),
        max_length=20,
        help_text=_("As in the framework, for example 1.1.1.a."),
        validators=[single_line],
    )
    text = models.TextField(_("measure (as worded in the Terms of Reference)"))
    short_title = models.CharField(_("short title"), max_length=120, validators=[single_line])
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="measures")
    data_source = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="measures", verbose_name=_("data source")
    )
    home_office = models.BooleanField(_("Home Office measure"), default=False)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.COUNT)
    direction = models.CharField(
        _("direction of good"), max_length=10, choices=Direction.choices, default=Direction.LOWER
    )
    reports_under_25 = models.BooleanField(
        _("also reported for under-25s"),
        default=False,
        help_text=_("Figures are expected for all ages and, where recorded, for under-25s."),
    )
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_note = models.CharField(_("baseline period"), max_length=200, blank=True)
    target = models.DecimalField(
        _("target (per quarter, HIPS total)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amber_tolerance = models.DecimalField(
        _("amber tolerance (% of target)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        help_text=_("Worse than target by up to this percentage of the target is amber; beyond it, red."),
    )
    definition = models.TextField(_("definition"), blank=True)
    derived = models.BooleanField(
        _("computed by the portal"), default=False, help_text=_("Derived measures are never typed in.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="performance_measure_unique_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]+(\.[0-9]+)*(\.[a-z])?$"),
                name="performance_measure_code_format",
                violation_error_message=_("A measure code looks like 1.1.1.a."),
            ),
            models.CheckConstraint(
                condition=Q(amber_tolerance__gte=0),
                name="performance_measure_tolerance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.short_title}"

    def get_absolute_url(self) -> str:
        return reverse("performance:measure", args=[self.code])

    @property
    def is_count(self) -> bool:
        return self.unit == self.Unit.COUNT

    @property
    def age_bands(self) -> list[str]:
        return [AgeBand.ALL, AgeBand.UNDER_25] if self.reports_under_25 else [AgeBand.ALL]

    def rag(self, value: Decimal | None) -> str | None:
        """RAG of a quarter's HIPS figure against the target; None without a target or a value."""
        if value is None or self.target is None:
            return None
        target = Decimal(self.target)
        shortfall = value - target if self.direction == self.Direction.LOWER else target - value
        if shortfall <= 0:
            return RAG.GREEN
        tolerance = abs(target) * Decimal(self.amber_tolerance) / 100
        return RAG.AMBER if shortfall <= tolerance else RAG.RED


@coloured("target_rag", RAG_COLOURS, blank=Tag(_("No target"), "grey"))
class TargetRating(models.TextChoices):
    """A measure's RAG against its target, as the dashboards word it."""

    RED = "red", _("Red: off target")
    AMBER = "amber", _("Amber: near target")
    GREEN = "green", _("Green: on target")


class Area(models.Model):
    """The HIPS areas figures are reported for, and the HIPS total."""

    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    is_total = models.BooleanField(_("HIPS total"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="performance_area_unique_code"),
            models.UniqueConstraint(
                fields=["is_total"], condition=Q(is_total=True), name="performance_area_one_total"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def default_deadline(quarter: FinancialQuarter) -> dt.date:
    """Figures are due by the end of the month after the quarter ends (31 July for Q1)."""
    after = quarter.end + dt.timedelta(days=1)
    first_of_next = dt.date(after.year + after.month // 12, after.month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


class PeriodQuerySet(models.QuerySet["Period"]):
    def for_quarter(self, quarter: FinancialQuarter) -> PeriodQuerySet:
        return self.filter(year=quarter.year, quarter=quarter.quarter)

    def between(self, first: FinancialQuarter, last: FinancialQuarter) -> PeriodQuerySet:
        low, high = first.year * 4 + first.quarter, last.year * 4 + last.quarter
        return self.alias(index=models.F("year") * 4 + models.F("quarter")).filter(
            index__gte=low, index__lte=high
        )

    def ended(self, today: dt.date | None = None) -> PeriodQuerySet:
        """Quarters that are over by ``today``."""
        last = FinancialQuarter.of(today or timezone.localdate()).previous()
        return self.alias(index=models.F("year") * 4 + models.F("quarter")).filter(
            index__lte=last.year * 4 + last.quarter
        )

    def collecting(self, today: dt.date | None = None) -> PeriodQuerySet:
        """Quarters whose figures are accepted: ended and not locked, the latest first."""
        return self.ended(today).filter(locked_at__isnull=True).order_by("-year", "-quarter")


class Period(models.Model):
    """A UK financial-year quarter of the framework, with its data deadline and lock."""

    year = models.PositiveSmallIntegerField(_("financial year starting"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    deadline = models.DateField(_("data deadline"))
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="performance_period_unique_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="performance_period_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def for_fq(cls, quarter: FinancialQuarter) -> Period:
        return cls(year=quarter.year, quarter=quarter.quarter, deadline=default_deadline(quarter))

    @property
    def fq(self) -> FinancialQuarter:
        return FinancialQuarter(self.year, self.quarter)

    @property
    def label(self) -> str:
        return self.fq.label

    @property
    def slug(self) -> str:
        return self.fq.slug

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def has_ended(self, today: dt.date | None = None) -> bool:
        """Whether the quarter is over (figures are reported only for quarters that have ended)."""
        return self.fq.end < (today or timezone.localdate())

    @property
    def is_collecting(self) -> bool:
        """Ended and not yet locked: figures for it are accepted."""
        return self.has_ended() and not self.is_locked
