"""Who may see and change the Duty's records.

Reading: VRU staff, board members (who oversee the delivery plans and the strategy) and administrators.
Sub-group chairs and data providers see only what is published. Changing: VRU staff only (the
secretariat keeps the documents, the concordat's record and the plans). The public sees the approved
versions of the Strategic Needs Assessment and the Response Strategy at ``/published/duty/``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from core.roles import Role, has_role, is_vru_staff

READERS = (Role.VRU_STAFF, Role.BOARD_MEMBER, Role.ADMINISTRATOR)


def can_view(user: Any) -> bool:
    return has_role(user, *READERS)


def can_edit(user: Any) -> bool:
    return is_vru_staff(user)


def require_view(user: Any) -> None:
    if not can_view(user):
        raise PermissionDenied


def require_edit(user: Any) -> None:
    if not can_edit(user):
        raise PermissionDenied
