from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.admin_access import keeps_registers

from .navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, Any]:
    """The service name, the navigation a signed-in user's roles allow, and whether the header links
    them to the admin (Administrators and superusers)."""
    return {
        "service_name": "SVRP Portal",
        "navigation": navigation_for(request),
        "can_use_admin": keeps_registers(getattr(request, "user", None)),
    }
