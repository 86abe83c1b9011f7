"""Readable change history (django-simple-history) for staff on an object's page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _describe(field: Any, old: Any, new: Any) -> str:
    labels = dict(field.flatchoices) if field.choices else {}
    return f"{field.verbose_name}: {labels.get(old, old) or '–'} → {labels.get(new, new) or '–'}"


def history_entries(
    records: QuerySet[Any], *, limit: int = 200, label: Callable[[Any], str] | None = None
) -> list[dict[str, Any]]:
    """Newest first: when, who, what kind of change and which fields changed (two queries at most)."""
    rows = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    by_object: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        by_object[row.id].append(row)
    changes: dict[int, str] = {}
    for versions in by_object.values():
        for newer, older in zip(versions, versions[1:], strict=False):
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            changes[newer.history_id] = ", ".join(
                _describe(newer.instance._meta.get_field(c.field), c.old, c.new)
                for c in delta.changes
                if c.field not in ("modified", "modified_by")
            )
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
