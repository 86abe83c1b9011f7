from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/manage/", views.two_factor_manage, name="two_factor_manage"),
    path("accounts/two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("accounts/two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
]
