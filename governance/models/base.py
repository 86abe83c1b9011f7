from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tags import Tag, coloured

# Amber is orange on every page (GOV.UK's yellow tag reads as a warning, not a rating).
RAG_COLOURS = {"red": "red", "amber": "orange", "green": "green"}


@coloured("rag", RAG_COLOURS, blank=Tag(_("Not rated"), "grey"))
class RAG(models.TextChoices):
    """Red, amber, green: shared by sub-group updates, Crest recommendations and measures."""

    RED = "red", _("Red")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")


class TimeStamped(models.Model):
    """When a record was made and last changed, and by whom (history keeps every version)."""

    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    modified = models.DateTimeField(_("modified"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class Archivable(models.Model):
    """Governance records are archived, never deleted."""

    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
