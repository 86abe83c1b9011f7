"""The demonstration accounts, one per role (created by ``create_demo_accounts`` with DEBUG on)."""

from __future__ import annotations

from core.roles import Role

DEMO_ACCOUNTS: tuple[tuple[str, Role, str, str], ...] = (
    ("vru.staff", Role.VRU_STAFF, "Val", "Staff (demo)"),
    ("board.member", Role.BOARD_MEMBER, "Bea", "Member (demo)"),
    ("subgroup.chair", Role.SUBGROUP_CHAIR, "Sam", "Chair (demo)"),
    ("data.provider", Role.DATA_PROVIDER, "Dana", "Provider (demo)"),
    ("admin", Role.ADMINISTRATOR, "Ada", "Administrator (demo)"),
)
