"""Template tags every page uses: one way to show a status (``{% tag %}``) and one breadcrumb trail.

- ``{% tag "rag" value %}``: a status or RAG value as a GOV.UK tag (``core.tags``).
- ``{% breadcrumbs label url label url … %}``: the GOV.UK breadcrumbs, from pairs of text and address
  (``{% url 'governance:meetings' as meetings %}{% breadcrumbs _("Meetings") meetings %}``).
"""

from __future__ import annotations

from typing import Any

from django import template

from core import tags

register = template.Library()


@register.inclusion_tag("partials/tag.html")
def tag(kind: str, value: Any, label: Any = None) -> dict[str, Any]:
    return {"tag": tags.tag(kind, value, label)}


@register.inclusion_tag("partials/breadcrumbs.html")
def breadcrumbs(*pairs: Any) -> dict[str, Any]:
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of text and address.")
    return {"crumbs": list(zip(pairs[::2], pairs[1::2], strict=True))}
