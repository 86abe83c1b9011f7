"""The API's JSON parser: a body nested too deep is a clear 400, never a server error.

Python's JSON decoder recurses once per level of nesting and raises RecursionError near a thousand
levels; no figure or action needs more than a few. A body over the size limit is refused before it is
parsed (``DATA_UPLOAD_MAX_MEMORY_SIZE``, answered as 413 by ``api.exceptions``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _depth(value: Any, limit: int) -> int:
    """How deep ``value`` nests, counting no further than ``limit`` + 1."""
    deepest, level, stack = 0, 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            break
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        too_deep = ParseError(_("The JSON body is nested more than %(n)s levels deep.") % {"n": MAX_DEPTH})
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if _depth(data, MAX_DEPTH) > MAX_DEPTH:
            raise too_deep
        return data
