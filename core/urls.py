from __future__ import annotations

from django.urls import path

from . import account_views, views

urlpatterns = [
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/manage/", views.two_factor_manage, name="two_factor_manage"),
    path("accounts/two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("accounts/two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
    path("accounts/two-factor/lost/", account_views.lost_authenticator, name="lost_authenticator"),
    # A forgotten password and an invitation's link (Django's reset views; core.account_views).
    path("accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        account_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        account_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
