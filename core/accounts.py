"""Accounts for real people: the invitation link, and the limit on password reset requests.

An invitation is Django's password reset machinery with its own salt and lifetime: the link carries a
token made from the account's password hash and last sign-in, so it stops working once the password is
chosen (used) or after ``SVRP_INVITATION_DAYS`` (expired). No token is stored.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from .forms import gds_helper


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token with its own salt; its lifetime is ``SVRP_INVITATION_DAYS``, read when a
    link is checked (Django's own check reads ``PASSWORD_RESET_TIMEOUT``, so the age is checked here)."""

    key_salt = "core.accounts.InvitationTokenGenerator"

    @property
    def timeout(self) -> int:
        return settings.SVRP_INVITATION_DAYS * 24 * 60 * 60

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > self.timeout:
            return False
        # The hash, exactly as Django checks it (one-time: it holds the password hash and last sign-in).
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_token_generator = InvitationTokenGenerator()


def invitation_path(user: Any) -> str:
    from django.urls import reverse

    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invitation_accept", args=[uidb64, invitation_token_generator.make_token(user)])


# --- Throttling password reset requests -----------------------------------------------------------


def _count(key: str) -> int:
    """Add one to a counter that lives for the reset window; the count after adding."""
    cache.add(key, 0, timeout=settings.SVRP_PASSWORD_RESET_WINDOW)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.SVRP_PASSWORD_RESET_WINDOW)
        return 1


def reset_ip_over_limit(request: HttpRequest) -> bool:
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or "unknown"
    return _count(f"password-reset:ip:{ip}") > settings.SVRP_PASSWORD_RESET_PER_IP


def reset_address_over_limit(email: str) -> bool:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return _count(f"password-reset:address:{digest}") > settings.SVRP_PASSWORD_RESET_PER_ADDRESS


class ResetRequestForm(PasswordResetForm):
    """Ask for a reset link. An address over its limit gets no more e-mails, with the same answer."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The address the Violence Reduction Unit holds for you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address in the correct format, like name@example.com."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper()

    def get_users(self, email: str) -> Any:
        if reset_address_over_limit(email):
            return iter(())
        return super().get_users(email)


class ChoosePasswordForm(SetPasswordForm):
    """Choose a password (an invitation or a reset), with GOV.UK labels and messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("Confirm new password")
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password.")
        self.fields["new_password2"].error_messages["required"] = _("Enter the new password again.")
        self.helper = gds_helper()
