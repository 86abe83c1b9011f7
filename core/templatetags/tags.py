"""``{% tag "rag" value %}``: one way to show a status or RAG value as a GOV.UK tag (``core.tags``)."""

from __future__ import annotations

from typing import Any

from django import template

from core import tags

register = template.Library()


@register.inclusion_tag("partials/tag.html")
def tag(kind: str, value: Any, label: Any = None) -> dict[str, Any]:
    return {"tag": tags.tag(kind, value, label)}
