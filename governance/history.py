"""Readable change history (django-simple-history) for staff on an object's page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import ForeignKey, QuerySet
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def readable(value: Any) -> Any:
    """A changed value as a person reads it: simple_history shows an empty link as "Deleted person
    (pk=None)" and a deleted one by its number; the first is nothing, the second a deleted thing."""
    if isinstance(value, DeletedObject):
        if value.pk is None:
            return "–"
        return _("a deleted %(thing)s") % {"thing": value.model._meta.verbose_name}
    return value


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        return super().prepare_delta_change_value(change, readable(value))


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """The admin's history pages, with links that were empty or are since deleted said in words."""

    def get_historical_record_context_helper(
        self, request: Any, historical_record: Any
    ) -> HistoricalRecordContextHelper:
        return ReadableHistoryContextHelper(self.model, historical_record)


def _describe(field: Any, old: Any, new: Any, names: dict[Any, dict[Any, str]]) -> str:
    if isinstance(field, ForeignKey):
        found = names.get(field.related_model, {})
        deleted = _("a deleted %(thing)s") % {"thing": field.related_model._meta.verbose_name}
        old, new = (None if v is None else found.get(v, deleted) for v in (old, new))
    labels = dict(field.flatchoices) if field.choices else {}
    return f"{field.verbose_name}: {labels.get(old, old) or '–'} → {labels.get(new, new) or '–'}"


def history_entries(
    records: QuerySet[Any], *, limit: int = 200, label: Callable[[Any], str] | None = None
) -> list[dict[str, Any]]:
    """Newest first: when, who, what kind of change and which fields changed, links by name (two
    queries, and one for each kind of thing a changed link names)."""
    rows = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    by_object: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        by_object[row.id].append(row)
    deltas = []
    for versions in by_object.values():
        for newer, older in zip(versions, versions[1:], strict=False):
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            fields = [
                (newer.instance._meta.get_field(c.field), c)
                for c in delta.changes
                if c.field not in ("modified", "modified_by")
            ]
            deltas.append((newer.history_id, fields))
    # A changed link is named (a person, an organisation), not numbered: one query per kind linked.
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for _history_id, fields in deltas:
        for field, change in fields:
            if isinstance(field, ForeignKey):
                wanted[field.related_model].update(v for v in (change.old, change.new) if v is not None)
    names = {
        model: {pk: str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
        for model, ids in wanted.items()
    }
    changes = {
        history_id: ", ".join(_describe(field, c.old, c.new, names) for field, c in fields)
        for history_id, fields in deltas
    }
    return [
        {
            "date": row.history_date,
            "user": row.history_user,
            "kind": KINDS.get(row.history_type, row.history_type),
            "object": label(row) if label else "",
            "changes": changes.get(row.history_id, ""),
        }
        for row in rows
    ]
