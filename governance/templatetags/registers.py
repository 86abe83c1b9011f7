"""Template helpers of the register pages."""

from __future__ import annotations

from django import template

register = template.Library()

BULLET = "· "


@register.filter
def text_blocks(text: str) -> list[dict[str, object]]:
    """Plain text as blocks: runs of "· " lines become a list, other lines paragraphs.

    The Terms of Reference keeps its text as the document had it; this shows its bullets as bullets.
    """
    blocks: list[dict[str, object]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(BULLET.strip()):
            item = line.lstrip("·").strip()
            if blocks and blocks[-1]["kind"] == "list":
                blocks[-1]["lines"].append(item)  # type: ignore[attr-defined]
            else:
                blocks.append({"kind": "list", "lines": [item]})
        else:
            blocks.append({"kind": "paragraph", "lines": [line]})
    return blocks
