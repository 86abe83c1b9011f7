from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, Any]:
    """The service name and the navigation a signed-in user's roles allow."""
    return {
        "service_name": "SVRP Portal",
        "navigation": navigation_for(request),
    }
