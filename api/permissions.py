"""Who may call the API and see what: the same rules as the web pages.

- A caller needs a portal role (any of the five groups). A signed-in account without a role reads
  nothing, as on the web pages that show it "Your account has no role yet".
- Meetings: the published fields (group, date, times, status) to every role; decisions and the
  organisations represented only once the minutes are published, as on /published/.
- Actions: the whole action log to every role, as the web log shows it to any signed-in user
  (governance). Writes stay in the web pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import BasePermission

from core.roles import user_roles

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def has_portal_role(user: Any) -> bool:
    return bool(user_roles(user))


def person_organisation_id(user: Any) -> int | None:
    """The organisation the user's register entry belongs to, or None."""
    person = getattr(user, "person", None) if user is not None and user.is_authenticated else None
    return None if person is None else person.organisation_id


class HasPortalRole(BasePermission):
    message = "Your account has no role in the portal yet. Ask the Violence Reduction Unit to give you one."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False  # DRF answers 401 with the Bearer challenge
        return has_portal_role(user)
