"""Who made a change: the one place a service records its author on the record and in its history."""

from __future__ import annotations

from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# The person a service acts for: the signed-in user, or None for the portal itself (tasks, imports).
ActingUser: TypeAlias = User | AnonymousUser | None


def author(acting_user: ActingUser) -> User | None:
    """The user to record: None for the portal itself or an anonymous request."""
    return acting_user if isinstance(acting_user, User) else None


def stamp(obj: Any, acting_user: ActingUser, *, new: bool | None = None) -> None:
    """Set ``created_by`` (for a new record) and ``modified_by``, and the history row's user.

    ``new`` defaults to whether the object is about to be inserted. The history user is set on the
    object so that a service called outside a request (a task, an import, the API) writes history with
    its author, exactly as one called from a page does.
    """
    user = author(acting_user)
    if (obj._state.adding if new is None else new) and hasattr(obj, "created_by"):
        obj.created_by = user
    if hasattr(obj, "modified_by"):
        obj.modified_by = user
    obj._history_user = user
