"""The data returns a quarter expects: one per data-source organisation, made when the period opens.

A return is complete when every measure the organisation is the source of has a figure past draft
for the period (``performance.completeness``); it is late when it is not complete after the
period's deadline. Completion is read from the figures, never copied here, so it cannot drift.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation

from .framework import Period


class DataReturn(models.Model):
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="returns")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="data_returns", verbose_name=_("organisation")
    )
    created = models.DateTimeField(_("expected since"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["period__year", "period__quarter", "organisation__name"]
        verbose_name = _("data return")
        verbose_name_plural = _("data returns")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation"], name="performance_one_return_per_period_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period}"

    @property
    def reminder_key(self) -> str:
        """What the reminders about this return are recorded under (``governance.Reminder.object_key``)."""
        return f"data-return:{self.pk}"
