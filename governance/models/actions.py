"""The action log: raised at meetings, owned by a person and an organisation, updated until done."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.tags import coloured
from core.validators import single_line

from .base import TimeStamped
from .meetings import Meeting
from .registers import Organisation, Person, TheoryOfChangeActivity

OPEN_STATUSES = ("open", "in_progress")


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> ActionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    @staticmethod
    def overdue_on(today: dt.date | None = None) -> Q:
        """The rule of an overdue action: open, and due before ``today``."""
        return Q(status__in=OPEN_STATUSES, due_date__lt=today or timezone.localdate())

    def overdue(self, today: dt.date | None = None) -> ActionQuerySet:
        return self.filter(self.overdue_on(today))

    def not_overdue(self, today: dt.date | None = None) -> ActionQuerySet:
        return self.exclude(self.overdue_on(today))

    def with_overdue(self, today: dt.date | None = None) -> ActionQuerySet:
        """Annotate ``overdue_flag`` so lists can sort and filter without a query per row."""
        return self.annotate(
            overdue_flag=Case(
                When(self.overdue_on(today), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def for_list(self) -> ActionQuerySet:
        return self.select_related("owner", "organisation", "meeting__group", "toc_activity")


def raised_on_default(action: Action) -> dt.date:
    """An action raised between meetings without a date given: the day it was recorded."""
    return timezone.localdate(action.created) if action.created else timezone.localdate()


class Action(TimeStamped):
    @coloured(
        "action_status",
        {
            "open": "light-blue",
            "in_progress": "blue",
            "complete": "green",
            "closed": "green",
            "superseded": "grey",
        },
    )
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETE = "complete", _("Complete")
        CLOSED = "closed", _("Closed")
        SUPERSEDED = "superseded", _("Superseded")

    reference = models.CharField(_("reference"), max_length=30, validators=[single_line])  # e.g. SVRP-2026-07
    description = models.TextField(_("description"))
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="actions", verbose_name=_("owner")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="actions", verbose_name=_("owning organisation")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("raised at"),
    )
    toc_activity = models.ForeignKey(
        TheoryOfChangeActivity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("Theory of Change activity"),
    )
    raised_on = models.DateField(
        _("raised on"),
        help_text=_("The day it was raised: its meeting's date, or the day agreed between meetings."),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demonstration data"), default=False, editable=False)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "reference"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="governance_action_status_due"),
            models.Index(fields=["organisation", "status"], name="governance_action_org_status"),
            # The action log's order, overdue first (governance.views.actions.OverdueFirst): the open
            # actions by due date, and every action by due date, read a page at a time.
            models.Index(
                fields=["due_date", "reference"],
                condition=Q(status__in=OPEN_STATUSES),
                name="governance_action_open_due",
            ),
            models.Index(fields=["due_date", "reference"], name="governance_action_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="governance_action_unique_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("governance:action", args=[self.reference])

    def save(self, *args: object, **kwargs: object) -> None:
        # The domain's date, never the row's: an action entered after the fact keeps the day it was
        # raised. Callers that know it (the services) pass it; otherwise the meeting's date is the day.
        if self.raised_on is None:
            self.raised_on = self.meeting.date if self.meeting is not None else raised_on_default(self)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # replaces the generated one
        # Django's own builds a dict of every choice, translating each label, on each call: a page of
        # 50 actions paid that 50 times (the benchmark's action log). One enum lookup gives the same label.
        return str(self.Status(self.status).label) if self.status in self.Status.values else str(self.status)


class ActionUpdate(TimeStamped):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("update"))
    status = models.CharField(_("status after the update"), max_length=20, choices=Action.Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-created"]

    def __str__(self) -> str:
        return f"{self.action.reference} {self.date}: {self.text[:40]}"
