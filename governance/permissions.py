"""Who may see and change what in the governance app: the one place these rules live.

Plain predicates (``can_*``) for templates and views, and ``require`` which turns a refusal into
``PermissionDenied`` (or ``Http404`` where even the existence of a record must not leak).

Registers (membership, organisations, Terms of Reference, Theory of Change):
- Every signed-in role reads the register, the Terms of Reference and the Theory of Change.
- Contact details (email and phone) are for VRU staff, Administrators and Board members: the people who
  run the partnership and those who sit on it and need to reach each other. Sub-group chairs and data
  providers see organisations, seats and names without contact details.
- An organisation's change history is for VRU staff and Administrators.
- Edits to the registers happen in the Django admin, for Administrators only (DESIGN.md: "membership
  upkeep in the Django admin"); VRU staff read everything, history included, but do not edit there.
- The public sees the published membership (organisations and seats, no names, emails or phone
  numbers) and the current approved Terms of Reference.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .roles import Role, has_role


def can_read_register(user: Any) -> bool:
    return user is not None and user.is_authenticated


def can_see_contact_details(user: Any) -> bool:
    return has_role(user, Role.VRU_STAFF, Role.ADMINISTRATOR, Role.BOARD_MEMBER)


def can_see_register_history(user: Any) -> bool:
    return has_role(user, Role.VRU_STAFF, Role.ADMINISTRATOR)


def can_edit_registers(user: Any) -> bool:
    """Administrators keep the registers in the Django admin."""
    return has_role(user, Role.ADMINISTRATOR) and bool(getattr(user, "is_staff", False))


def require(allowed: bool, *, hide: bool = False) -> None:
    """Refuse with 403, or with 404 when the record's existence itself must not be disclosed."""
    if not allowed:
        if hide:
            raise Http404
        raise PermissionDenied
