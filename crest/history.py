"""The change history of a recommendation, as staff read it: when, who, which fields, from what to what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from governance.models import Action

from .models import Recommendation

HIDDEN_FIELDS = ["created", "modified", "created_by", "modified_by"]
LIMIT = 30


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: Any
    who: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def _display(record: Any, name: str, value: Any, actions: dict[int, str]) -> str:
    if name == "actions":
        # Items name the action by id, or by the object itself when foreign keys are resolved.
        items = [item.get("action") for item in (value or [])]
        refs = sorted(getattr(a, "reference", None) or actions.get(a, "?") for a in items)
        return ", ".join(refs) or _("none")
    model_field: Any = Recommendation._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.choices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def history_rows(recommendation: Recommendation) -> list[HistoryRow]:
    records = list(
        recommendation.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : LIMIT + 1
        ]
    )
    action_ids: set[int] = set()
    for record in records:
        action_ids.update(item.action_id for item in record.actions.all())
    actions = dict(Action.objects.filter(pk__in=action_ids).values_list("pk", "reference"))
    rows: list[HistoryRow] = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(rows) == LIMIT:
            break
        who = (
            newer.history_user.get_full_name() or newer.history_user.get_username()
            if newer.history_user
            else _("the system")
        )
        row = HistoryRow(when=newer.history_date, who=who, kind=newer.get_history_type_display())
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=HIDDEN_FIELDS, foreign_keys_are_objs=True)
            for change in delta.changes:
                field_: Any = Recommendation._meta.get_field(change.field)
                label = str(field_.verbose_name)
                row.changes.append(
                    Change(
                        label=label[:1].upper() + label[1:],
                        old=_display(older, change.field, change.old, actions),
                        new=_display(newer, change.field, change.new, actions),
                    )
                )
            if not row.changes:
                continue
        rows.append(row)
    return rows
