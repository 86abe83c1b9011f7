"""The primary navigation, by role. Each app adds its sections here, in the order users meet them."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from core.roles import Role, user_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # None: every signed-in user; otherwise any of these roles.
    roles: frozenset[Role] | None = None
    # Pages under this section: the item is marked current on them too.
    sections: tuple[str, ...] = ()


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "home"),
    NavItem("Meetings", "governance:meetings"),
    NavItem("Actions", "governance:actions"),
    NavItem("My actions", "governance:actions_mine", roles=frozenset({Role.BOARD_MEMBER})),
    NavItem(
        "Sub-group updates", "governance:updates", roles=frozenset({Role.SUBGROUP_CHAIR, Role.VRU_STAFF})
    ),
    # The registers the partnership keeps, under one section so the bar fits on one line at desktop
    # width for every role (it had up to twelve items for VRU staff).
    NavItem(
        "Partnership",
        "partnership",
        sections=(
            "governance:membership",
            "governance:terms_of_reference",
            "governance:theory_of_change",
            "crest:tracker",
            "duty:documents",
        ),
    ),
    NavItem("Performance", "performance:dashboard"),
    NavItem("Reports", "performance:reports", roles=frozenset({Role.VRU_STAFF, Role.BOARD_MEMBER})),
    NavItem("Submit figures", "performance:submit", roles=frozenset({Role.DATA_PROVIDER, Role.VRU_STAFF})),
)


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    roles = user_roles(user)
    items = []
    for item in NAVIGATION:
        if item.roles is not None and not (roles & item.roles):
            continue
        try:
            href = reverse(item.url_name)
            prefixes = [href, *(reverse(name) for name in item.sections)]
        except NoReverseMatch:
            continue
        active = request.path == href if href == "/" else request.path.startswith(tuple(prefixes))
        items.append({"label": item.label, "href": href, "active": active})
    return items
