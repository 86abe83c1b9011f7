"""Two-factor enforcement: a signed-in user who has not proved their second factor sees only the
two-factor pages and the public ones until they do."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .twofactor import is_verified, session_has_device, two_factor_required

PUBLIC_PREFIXES = ("/published/", "/accessibility/", "/healthz")


class TwoFactorMiddleware:
    """Put after django-otp's OTPMiddleware (which marks ``request.user.is_verified()``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> frozenset[str]:
        return frozenset(reverse(name) for name in ("two_factor_verify", "two_factor_setup", "logout"))

    def _is_open(self, path: str) -> bool:
        return path in self.open_paths or path.startswith((*PUBLIC_PREFIXES, settings.STATIC_URL))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not self._is_open(request.path) and not is_verified(request):
            if session_has_device(request):
                return self._redirect("two_factor_verify", request)
            if two_factor_required(user):
                return self._redirect("two_factor_setup", request)
        return self.get_response(request)

    @staticmethod
    def _redirect(name: str, request: HttpRequest) -> HttpResponse:
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
