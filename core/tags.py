"""Status and RAG tags: each choice's GOV.UK tag colour is declared beside the choices, once.

A choices class is made a tag kind with the ``coloured`` decorator; every page then renders its values
with one template tag, ``{% tag "rag" value %}`` (``core.templatetags.tags``), so amber is the same
orange everywhere and a blank value reads "Not rated", never a colour of its own. The word is always
shown: colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


@dataclass(frozen=True)
class Tag:
    label: Any  # text, or a lazy translation
    colour: str
    hint: Any = ""  # visually hidden text read after the label


@dataclass(frozen=True)
class _Kind:
    labels: Mapping[str, Any]
    colours: Mapping[str, str]
    blank: Tag | None
    shown_as: Mapping[str, Tag]


_KINDS: dict[str, _Kind] = {}


def coloured(
    kind: str,
    colours: Mapping[str, str],
    *,
    blank: Tag | None = None,
    shown_as: Mapping[str, Tag] | None = None,
) -> Callable[[C], C]:
    """Class decorator for a ``TextChoices``: the tag colour of each of its values, under ``kind``.

    ``blank`` is shown for an empty value; ``shown_as`` words a value differently on pages than in forms.
    """

    def decorate(choices: C) -> C:
        labels = dict(choices.choices)  # type: ignore[attr-defined]
        missing = set(labels) - set(colours)
        if missing:
            raise ValueError(f"{choices.__qualname__}: no tag colour for {sorted(missing)}")
        _KINDS[kind] = _Kind(labels=labels, colours=dict(colours), blank=blank, shown_as=dict(shown_as or {}))
        return choices

    return decorate


def tag(kind: str, value: Any, label: Any = None) -> Tag | None:
    """The tag for ``value`` of ``kind`` (``label`` in place of the choice's own), or the blank tag."""
    found = _KINDS[kind]
    key = getattr(value, "value", value)
    if key in (None, "") or key not in found.colours:
        return found.blank
    if key in found.shown_as and label is None:
        return found.shown_as[key]
    return Tag(label=str(label if label is not None else found.labels[key]), colour=found.colours[key])
