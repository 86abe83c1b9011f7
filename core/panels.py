"""Panels of the signed-in home page ("next meeting, my actions, figures due, what needs me").

Each app adds a function ``panels(request) -> list[Panel]`` to the ``core.hooks.HOME_PANELS``
extension point. A panel names its template (under ``templates/<app>/partials/``) and the context that
template expects. Providers keep their query count fixed (no per-row queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from . import hooks


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def panels_for(request: HttpRequest) -> list[Panel]:
    found: list[Panel] = []
    provider: Callable[[HttpRequest], list[Panel]]
    for provider in hooks.get_hooks(hooks.HOME_PANELS):
        found.extend(provider(request))
    return found
