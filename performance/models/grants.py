"""Grant oversight: the VRU and SVD grants per financial year and their quarterly spend returns."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.models import TheoryOfChangeActivity, TimeStamped

from .framework import Period


class Grant(TimeStamped):
    class Kind(models.TextChoices):
        VRU = "vru", _("VRU grant")
        SVD = "svd", _("Serious Violence Duty grant")

    kind = models.CharField(_("grant"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("financial year starting"))
    allocation = models.DecimalField(_("allocation (£)"), max_digits=12, decimal_places=2)
    # The SVD grant is split into labour and non-labour; both blank for the VRU grant.
    labour_allocation = models.DecimalField(
        _("labour allocation (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    non_labour_allocation = models.DecimalField(
        _("non-labour allocation (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="performance_grant_one_per_kind_year"),
            models.CheckConstraint(condition=Q(allocation__gte=0), name="performance_grant_allocation_ok"),
            models.CheckConstraint(
                condition=(Q(labour_allocation__isnull=True) & Q(non_labour_allocation__isnull=True))
                | Q(allocation=models.F("labour_allocation") + models.F("non_labour_allocation")),
                name="performance_grant_split_adds_up",
                violation_error_message=_("Labour and non-labour allocations must add up to the allocation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}/{(self.year + 1) % 100:02d}"

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def is_split(self) -> bool:
        return self.labour_allocation is not None


class SpendReturn(TimeStamped):
    """A quarter's spend on a grant in one category: actual (once known) against forecast."""

    class Category(models.TextChoices):
        LABOUR = "labour", _("Labour")
        NON_LABOUR = "non_labour", _("Non-labour")

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="spend_returns")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    actual = models.DecimalField(
        _("actual spend (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    forecast = models.DecimalField(_("forecast spend (£)"), max_digits=12, decimal_places=2)
    toc_activity = models.ForeignKey(
        TheoryOfChangeActivity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spend_returns",
        verbose_name=_("Theory of Change activity"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "period__year", "period__quarter", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "period", "category"], name="performance_one_return_per_grant_quarter_cat"
            ),
            models.CheckConstraint(
                condition=(Q(actual__isnull=True) | Q(actual__gte=0)) & Q(forecast__gte=0),
                name="performance_return_amounts_not_negative",
                violation_error_message=_("Spend cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.period} {self.get_category_display()}"

    @property
    def variance(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.forecast
