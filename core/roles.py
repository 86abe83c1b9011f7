"""The portal's roles: Django groups with these exact names (DESIGN.md, a contract)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    VRU_STAFF = "VRU staff"
    BOARD_MEMBER = "Board member"
    SUBGROUP_CHAIR = "Sub-group chair"
    DATA_PROVIDER = "Data provider"
    ADMINISTRATOR = "Administrator"


def user_roles(user: Any) -> frozenset[Role]:
    """The roles of a user, read once per request and kept on the user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_svrp_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._svrp_roles = cached
    return cached


def has_role(user: Any, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def is_vru_staff(user: Any) -> bool:
    return has_role(user, Role.VRU_STAFF)
