"""The change history of a recommendation, as staff read it: when, who, which fields, from what to what.

Read in a fixed number of queries whatever the length of the history or the number of links: the
records with their users and foreign keys (one query), the rows of both link tables' history (one query
each), and the references and codes they name (one query each). simple_history's own ``diff_against``
reads the link tables twice per pair of records, so the links are compared here instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from governance.history import readable
from governance.models import Action, TheoryOfChangeActivity

from .models import Recommendation

HIDDEN_FIELDS = ["created", "modified", "created_by", "modified_by"]
LINK_FIELDS = ("actions", "toc_activities")
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


def _label(name: str) -> str:
    model_field: Any = Recommendation._meta.get_field(name)
    label = str(model_field.verbose_name)
    return label[:1].upper() + label[1:]


def _display(name: str, value: Any) -> str:
    model_field: Any = Recommendation._meta.get_field(name)
    value = readable(value)  # a link that was empty, or is to a record since deleted, in words
    if value in (None, "", "–"):
        return "—"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.choices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _link_sets(history_ids: list[int]) -> dict[str, dict[int, frozenset[int]]]:
    """For each link field, history record id -> the ids linked in that record."""
    history = Recommendation.history.model
    found: dict[str, dict[int, frozenset[int]]] = {}
    for name in LINK_FIELDS:
        # The historical m2m model: its rows name the record ("history") and the linked object.
        link_model: Any = getattr(history, name).model
        target = Recommendation._meta.get_field(name).related_model._meta.model_name  # type: ignore[union-attr]
        sets: dict[int, set[int]] = defaultdict(set)
        for history_id, target_id in link_model.objects.filter(history_id__in=history_ids).values_list(
            "history_id", f"{target}_id"
        ):
            sets[history_id].add(target_id)
        found[name] = {pk: frozenset(ids) for pk, ids in sets.items()}
    return found


def _names(link_sets: dict[str, dict[int, frozenset[int]]]) -> dict[str, dict[int, tuple[Any, str]]]:
    """For each link field, id -> (sort key, what staff call it): action references, ToC codes."""

    def every(name: str) -> set[int]:
        return set().union(*link_sets[name].values()) if link_sets[name] else set()

    actions = Action.objects.filter(pk__in=every("actions")).values_list("pk", "reference")
    activities = TheoryOfChangeActivity.objects.filter(pk__in=every("toc_activities")).values_list(
        "pk", "order", "code"
    )
    return {
        "actions": {pk: (reference, reference) for pk, reference in actions},
        "toc_activities": {pk: ((order, code), code) for pk, order, code in activities},
    }


def _display_links(ids: Iterable[int], names: dict[int, tuple[Any, str]]) -> str:
    # A linked object since deleted is still counted, under a placeholder.
    known = sorted(names[pk] for pk in ids if pk in names)
    shown = [label for _key, label in known] + ["?" for pk in ids if pk not in names]
    return ", ".join(shown) or _("none")


def history_rows(recommendation: Recommendation) -> list[HistoryRow]:
    records = list(
        recommendation.history.select_related(
            "history_user",
            "report",
            "owner_person",
            "owner_organisation",
            "signed_off_at_meeting__group",
        ).order_by("-history_date", "-history_id")[: LIMIT + 1]
    )
    link_sets = _link_sets([r.history_id for r in records])
    names = _names(link_sets)
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
            delta = newer.diff_against(
                older,
                excluded_fields=[*HIDDEN_FIELDS, *LINK_FIELDS],
                foreign_keys_are_objs=True,
            )
            changes = [
                (change.field, _display(change.field, change.old), _display(change.field, change.new))
                for change in delta.changes
            ]
            for name in LINK_FIELDS:
                old = link_sets[name].get(older.history_id, frozenset())
                new = link_sets[name].get(newer.history_id, frozenset())
                if old != new:
                    changes.append((name, _display_links(old, names[name]), _display_links(new, names[name])))
            row.changes = [Change(label=_label(name), old=old, new=new) for name, old, new in sorted(changes)]
            if not row.changes:
                continue
        rows.append(row)
    return rows
