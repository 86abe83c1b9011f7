"""Pages under /accounts/ for people who cannot sign in yet: a forgotten password, an invitation's
link and a lost authenticator. All are reachable without signing in; none says whether an address
has an account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from .accounts import ChoosePasswordForm, ResetRequestForm, invitation_token_generator, reset_ip_over_limit

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """The same answer for every address; a busy IP address is told to wait (status 429)."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset_body.txt"
    html_email_template_name = "emails/password_reset_body.html"
    success_url = reverse_lazy("password_reset_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}

    def form_valid(self, form: Any) -> HttpResponse:
        if reset_ip_over_limit(self.request):
            minutes = settings.SVRP_PASSWORD_RESET_WINDOW // 60
            return render(
                self.request, "registration/password_reset_throttled.html", {"minutes": minutes}, status=429
            )
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ChoosePasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """An invitation's link: choose a password, then signed in (and on to two-factor set-up when the
    account's role needs it: core.middleware does that on the next page). Used or expired: a page that
    says so."""

    form_class = ChoosePasswordForm
    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    reset_url_token = "choose-password"  # noqa: S105 (a URL segment, not a password)
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "invitation_days": settings.SVRP_INVITATION_DAYS}

    def form_valid(self, form: Any) -> HttpResponse:
        from django.contrib import messages
        from django.utils.translation import gettext as _

        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set and you are signed in."))
        return response


@login_not_required
@require_GET
def lost_authenticator(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/lost_authenticator.html")
