"""Who may see and change the Crest tracker.

Reading: VRU staff, board members and administrators (the board oversees delivery; administrators keep
the registers). Sub-group chairs and data providers have no part in the tracker and see nothing of it
beyond what is published. Changing: VRU staff only (the secretariat keeps the tracker), including which
Theory of Change activities a recommendation serves. In the Django admin (administrators, by Django's
model permissions) a recommendation can be added and its ToC links changed, nothing else. The public
sees only recommendations marked publishable, at ``/published/crest/``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from core.roles import Role, has_role, is_vru_staff

READERS = (Role.VRU_STAFF, Role.BOARD_MEMBER, Role.ADMINISTRATOR)


def can_view_tracker(user: Any) -> bool:
    return has_role(user, *READERS)


def can_edit_tracker(user: Any) -> bool:
    return is_vru_staff(user)


def can_view_history(user: Any) -> bool:
    """The change history names who changed what: for the secretariat and administrators."""
    return has_role(user, Role.VRU_STAFF, Role.ADMINISTRATOR)


def require_view(user: Any) -> None:
    if not can_view_tracker(user):
        raise PermissionDenied


def require_edit(user: Any) -> None:
    if not can_edit_tracker(user):
        raise PermissionDenied
