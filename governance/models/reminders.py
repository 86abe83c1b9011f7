"""Reminders the quarterly cycle sends: one row per (kind, object, recipient, date), sent at most once.

The row is inserted before the e-mail goes out and marked sent after; the database's unique key is what
makes a retried or repeated Celery task harmless (a second run finds the row and sends nothing).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def sent(self) -> ReminderQuerySet:
        return self.filter(sent_at__isnull=False)

    def pending(self) -> ReminderQuerySet:
        return self.filter(sent_at__isnull=True)


class Reminder(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting in a week")
        SUBGROUP_UPDATE = "subgroup_update", _("Sub-group update due")
        MINUTES_UNPUBLISHED = "minutes_unpublished", _("Minutes not yet approved")
        ACTION_DIGEST = "action_digest", _("Weekly action digest")
        PERIOD_OPENED = "period_opened", _("Quarter opened for figures")
        FIGURES_DUE = "figures_due", _("Figures due")
        FIGURES_LATE = "figures_late", _("Figures late")
        LATE_RETURNS = "late_returns", _("Late returns (to VRU staff)")
        REPORT_READY = "report_ready", _("Draft report ready")
        DOCUMENT_REVIEW_DUE = "document_review_due", _("Duty document review due")
        DOCUMENT_REVIEW_OVERDUE = "document_review_overdue", _("Duty document review overdue")
        CONCORDAT_CHASE = "concordat_chase", _("Concordat acknowledgement chased")
        SEND_FAILURES = "send_failures", _("E-mails that could not be sent (to VRU staff)")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    # What the reminder is about, e.g. "meeting:12" or "figure-return:2025-26-q1:<organisation id>".
    object_key = models.CharField(_("about"), max_length=200)
    # The address it went to (lower case); the user, when the recipient has an account.
    recipient = models.CharField(_("recipient"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    for_date = models.DateField(_("for date"))
    created = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-for_date", "kind", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient", "for_date"],
                name="governance_reminder_once_per_kind_object_recipient_date",
            ),
            models.CheckConstraint(condition=~Q(recipient=""), name="governance_reminder_has_recipient"),
        ]
        indexes = [models.Index(fields=["sent_at"], name="governance_reminder_sent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_key} to {self.recipient} for {self.for_date}"
