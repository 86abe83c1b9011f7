"""The meeting pack: one page and one PDF, with sections other apps add.

Other apps add sections to the ``core.hooks.PACK_SECTIONS`` extension point: functions
``section(meeting, request) -> PackSection | None``; the pack shows each section that returns one, in
order, after the agenda, papers, sub-group updates and actions. The performance app adds its
"performance summary" here. A section keeps its query count fixed and must render without network
access (the PDF renderer, ``core.pdf``, fetches nothing but the portal's static files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from core import hooks

from .models import Meeting


@dataclass
class PackSection:
    title: str
    template: str  # under templates/<app>/partials/; receives ``section`` (this object's context)
    context: dict[str, Any] = field(default_factory=dict)


def sections_for(meeting: Meeting, request: HttpRequest | None) -> list[PackSection]:
    found = []
    provider: Callable[[Meeting, HttpRequest | None], PackSection | None]
    for provider in hooks.get_hooks(hooks.PACK_SECTIONS):
        section = provider(meeting, request)
        if section is not None:
            found.append(section)
    return found
