"""Panels of the signed-in home page ("next meeting, my actions, figures due, what needs me").

Each app offers a function ``panels(request) -> list[Panel]``; its dotted path is listed here, in the
order the panels appear. A panel names its template (under ``templates/<app>/partials/``) and the
context that template expects. Providers keep their query count fixed (no per-row queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PANEL_PROVIDERS: list[str] = [
    "governance.panels.panels",
    "performance.home.panels",
]


def panels_for(request: HttpRequest) -> list[Panel]:
    found: list[Panel] = []
    for dotted in PANEL_PROVIDERS:
        provider: Callable[[HttpRequest], list[Panel]] = import_string(dotted)
        found.extend(provider(request))
    return found
