"""Models of the cross-cutting core app: the sign-in audit log and the task outbox.

The history of ``auth.User`` is registered here too (django-simple-history), since no other app owns
the user model.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from .validators import single_line


class SignInEvent(models.Model):
    """One sign-in attempt: who (or what username was tried), from where, and how it ended."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Signed in")
        FAILURE = "failure", _("Wrong username or password")
        LOCKED = "locked", _("Locked out")
        TWO_FACTOR_FAILURE = "2fa-failure", _("Wrong two-factor code")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sign_in_events",
    )
    username = models.CharField(_("username tried"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        indexes = [models.Index(fields=["username", "-created"], name="core_signin_username_idx")]

    def __str__(self) -> str:
        return f"{self.username or '?'} {self.get_outcome_display()} {self.created:%Y-%m-%d %H:%M}"


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change that asks for it.

    It is sent after commit; if the broker does not answer, the row waits and ``flush_outbox`` sends
    it later. ``sent_at`` is set once, so a row is sent at most once.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    queue = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["created"], name="core_outbox_pending_idx", condition=models.Q(sent_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        state = "sent" if self.sent_at else "pending"
        return f"{self.task_name} ({state})"

    @property
    def is_pending(self) -> bool:
        return self.sent_at is None


class UserHistoricalRecords(HistoricalRecords):
    """History of users, without a row for every sign-in (Django saves only ``last_login`` then)."""

    def post_save(self, instance: Any, created: bool, using: str | None = None, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)


# Password hashes are not copied into history; a change of password still leaves a dated row.
register(
    get_user_model(),
    app="core",
    records_class=UserHistoricalRecords,
    excluded_fields=["password", "last_login"],
)


class ContentChange(models.Model):
    """What has changed in a scope of the portal's content: the sum of a scope's weights is its version.

    Database triggers (``core.content_version``) write it in the same transaction as the change, on
    every table of the governance, Crest and performance apps, whatever wrote it (a form, an import, a
    queryset ``update()``, the admin, raw SQL). ``weight`` counts the writing statements of its
    transaction on the scope's tables, or is the sum of the rows ``compact()`` folded into it, so every
    version only ever grows. Never edited by hand.
    """

    # PostgreSQL: the writing transaction's id (one row per transaction and scope), or null once
    # compacted; SQLite, which has one writer at a time, keeps one row per scope under 0.
    txid = models.BigIntegerField(null=True, blank=True)
    scope = models.CharField(max_length=40, db_default="global")
    weight = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("content change")
        verbose_name_plural = _("content changes")
        constraints = [
            models.UniqueConstraint(fields=["txid", "scope"], name="core_contentchange_txid_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.txid or 'merged'} × {self.weight}"


class WorkerHeartbeat(models.Model):
    """When each Celery worker last ran the heartbeat beat sends every minute (``core.worker_heartbeat``).

    ``/healthz`` reports the age of the newest: a dead worker, or a dead beat, shows as a heartbeat
    growing old while the web server answers on.
    """

    worker = models.CharField(_("worker"), max_length=200, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker}: {self.beat_at:%Y-%m-%d %H:%M:%S}"


class AccessRemoval(models.Model):
    """A leaver's portal access taken away once, on the day their last tenure ended.

    One row per account and leaving day (a database unique key), so the daily task that writes it
    takes roles away and tells people once, however often it runs. VRU staff read these on the
    accounts page; the account itself and everything it did stay.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_removals",
        verbose_name=_("account"),
    )
    person_name = models.CharField(_("person"), max_length=200, validators=[single_line])
    left_on = models.DateField(_("last day in a seat"))
    roles_removed = models.JSONField(_("roles removed"), default=list, encoder=DjangoJSONEncoder)
    deactivated = models.BooleanField(_("account deactivated"), default=False)
    created = models.DateTimeField(_("when"), default=timezone.now)
    # Set once the leaver and VRU staff have been e-mailed; a failed send is tried again next run.
    notified_at = models.DateTimeField(_("people told"), null=True, blank=True)

    class Meta:
        ordering = ["-left_on", "-id"]
        verbose_name = _("access removal")
        verbose_name_plural = _("access removals")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "left_on"], name="core_access_removed_once_per_leaving_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_name} left on {self.left_on:%Y-%m-%d}"
