"""The search index: one row per record an app offers (``core.search.SearchDocument``).

The words live in ``title`` and ``body``; the full-text index over them is the database's own, made by
the migrations: a stored, weighted ``tsvector`` column with a GIN index on PostgreSQL, an external
content FTS5 table kept by triggers on SQLite (``search.backends``). The other fields are what the
sources' visibility filters read.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("record"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    group_id = models.PositiveBigIntegerField(_("group"), null=True, blank=True)
    draft = models.BooleanField(_("draft"), default=False)
    confidential = models.BooleanField(_("confidential"), default=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_one_entry_per_record")
        ]
        indexes = [models.Index(fields=["kind", "date"], name="search_entry_kind_date")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class ExtractedText(models.Model):
    """The text read from a record's file (a paper's PDF, DOCX, XLSX or PPTX), once, on upload."""

    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("record"))
    text = models.TextField(_("text"), blank=True)
    extracted_at = models.DateTimeField(_("extracted"), auto_now=True)

    class Meta:
        verbose_name = _("extracted text")
        verbose_name_plural = _("extracted texts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_one_text_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
