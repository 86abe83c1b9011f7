"""Two-factor pages under /accounts/two-factor/ and the lockout page. Thin: services do the work.

Every two-factor page is ``never_cache`` (``Cache-Control: no-store``): secrets and codes stay out of
caches and the browser's back button.
"""

from __future__ import annotations

import base64
import re
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .audit import sign_in_event_record
from .forms import TwoFactorCodeForm
from .models import SignInEvent
from .twofactor import is_verified, remember_device_state, session_has_device, two_factor_required

SETUP_KEY_SESSION_KEY = "svrp_2fa_setup_key"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the app, or a backup code."""
    if is_verified(request):
        return HttpResponseRedirect(_next_url(request))
    if not remember_device_state(request):
        if two_factor_required(request.user):
            return redirect("two_factor_setup")
        return HttpResponseRedirect(_next_url(request))
    form = TwoFactorCodeForm(
        request.POST or None,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
    )
    if request.method == "POST" and form.is_valid():
        result = services.two_factor_verify(
            user=request.user, code=form.cleaned_data["code"], request=request
        )
        if result == "ok":
            return HttpResponseRedirect(_next_url(request))
        sign_in_event_record(
            outcome=SignInEvent.Outcome.TWO_FACTOR_FAILURE, request=request, user=request.user
        )
        if result == "wait":
            form.add_error(
                "code",
                _(
                    "You entered a wrong code a moment ago. Wait a few seconds, then enter the code "
                    "your app shows"
                ),
            )
        else:
            form.add_error(
                "code",
                _("The security code is not right, or it has been used. Check your app and try again"),
            )
    return render(request, "core/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(config_url: str) -> SafeString:
    """The otpauth:// address as an inline SVG QR code (no script, no image request)."""
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'width="[^"]+" height="[^"]+"', 'width="220" height="220"', svg, count=1)
    label = _("QR code for your authenticator app")
    # Built from the qrcode package's own output and a fixed, translated label: safe to mark.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1))  # noqa: S308


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret and its QR code; confirm with the app's first code; show backup codes once."""
    if session_has_device(request):
        if not is_verified(request):
            return redirect("two_factor_verify")
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("two_factor_manage")
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key:
        key = services.totp_key_new()
        request.session[SETUP_KEY_SESSION_KEY] = key
    form = TwoFactorCodeForm(request.POST or None, help_text=_("The 6-digit code your app shows now."))
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_set_up(
            acting_user=request.user, key=key, code=form.cleaned_data["code"], request=request
        )
        if codes is not None:
            del request.session[SETUP_KEY_SESSION_KEY]
            return render(
                request,
                "core/two_factor_backup_codes.html",
                {"codes": codes, "just_set_up": True, "next": _next_url(request)},
            )
        form.add_error("code", _("The security code is not right. Enter the 6-digit code your app shows now"))
    device = TOTPDevice(user=request.user, key=key, name=services.TOTP_DEVICE_NAME)
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    context: dict[str, Any] = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": two_factor_required(request.user),
        "next": _next_url(request),
    }
    return render(request, "core/two_factor_setup.html", context)


@never_cache
def two_factor_manage(request: HttpRequest) -> HttpResponse:
    """Whether two-factor login is on, how many backup codes are left, and what the user can change."""
    has_device = remember_device_state(request)
    return render(
        request,
        "core/two_factor_manage.html",
        {
            "has_device": has_device,
            "required": two_factor_required(request.user),
            "codes_left": services.backup_codes_left(request.user) if has_device else 0,
        },
    )


@never_cache
@require_POST
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes replace the old ones; they are shown on this response only."""
    if not session_has_device(request):
        return redirect("two_factor_manage")
    codes = services.backup_codes_regenerate(acting_user=request.user)
    return render(request, "core/two_factor_backup_codes.html", {"codes": codes, "just_set_up": False})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    if two_factor_required(request.user):
        messages.info(request, _("Your role needs two-factor authentication, so it cannot be turned off."))
        return redirect("two_factor_manage")
    if not session_has_device(request):
        return redirect("two_factor_manage")
    if request.method == "POST":
        services.two_factor_remove(acting_user=request.user, request=request)
        messages.success(request, _("Two-factor authentication is turned off."))
        return redirect("two_factor_manage")
    return render(request, "core/two_factor_remove.html")


@login_not_required
def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): a GOV.UK page, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
