"""Per-user API tokens: only a SHA-256 hash of the secret is kept; the secret is shown once."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import single_line

# Every key starts with this, so a leaked one is easy to recognise (and to search for in code).
KEY_PREFIX = "svrp_"
# How much of the key is kept in clear to tell the user's tokens apart: the prefix and 8 characters.
DISPLAY_LENGTH = len(KEY_PREFIX) + 8


def hash_key(key: str) -> str:
    """The stored form of a key. Keys are 256-bit random strings, so an unsalted hash is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    prefix = models.CharField(_("starts with"), max_length=DISPLAY_LENGTH, editable=False)
    key_hash = models.CharField(_("SHA-256 of the key"), max_length=64, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # last_used_at changes through queryset.update(), which keeps no history: only creation and
    # revocation are recorded.
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="api_token_unique_key_hash"),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_named"),
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="api_token_hash_is_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
