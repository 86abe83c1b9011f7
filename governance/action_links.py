"""What else an action is linked to, shown on its page: a registry other apps add to.

An action carries its Theory of Change activity itself; a Crest recommendation links to actions from
the Crest side (governance imports neither app), so the Crest app adds a provider to the
``core.hooks.ACTION_LINKS`` extension point. A provider is a
function ``(action) -> list[LinkedItem]`` costing a fixed number of queries (one, usually).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core import hooks

from .theory_of_change import LinkedItem

if TYPE_CHECKING:
    from .models import Action

ActionLinkProvider = Callable[["Action"], list[LinkedItem]]


def linked_to_action(action: Action) -> list[LinkedItem]:
    found: list[LinkedItem] = []
    provider: ActionLinkProvider
    for provider in hooks.get_hooks(hooks.ACTION_LINKS):
        found.extend(provider(action))
    return found
