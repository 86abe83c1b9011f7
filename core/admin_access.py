"""Who sees what in the Django admin.

Administrators (the portal's Administrator role, staff but not superusers) keep the registers there:
the ModelAdmins marked with ``RegisterAdminMixin`` grant them viewing, adding and changing by role,
without Django model permissions to hand out. Deleting stays with each ModelAdmin's own rule (governed
records are never deleted).

The technical sections (sign-in lockouts, task results, two-factor devices, schedules, the outbox)
are for superusers only, whatever model permissions a staff user holds: ``restrict_to_superusers``
registers each of those ModelAdmins again under a subclass with ``SuperuserOnlyMixin``. Other sections
(meetings, the Crest tracker, performance) follow Django's model permissions as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.http import HttpRequest

from .roles import Role, has_role


def keeps_registers(user: Any) -> bool:
    """An Administrator signed in to the admin (staff), or a superuser."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or (user.is_staff and has_role(user, Role.ADMINISTRATOR)))


class AutofocusFirstFieldMixin:
    """The cursor starts in the first field a person fills on the add and change forms.

    A field searched through an autocomplete box is skipped: its ``<select>`` is hidden behind the
    search box, so the browser could not put the cursor there."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        for field in form.base_fields.values():
            widget = getattr(field.widget, "widget", field.widget)  # inside RelatedFieldWidgetWrapper
            if field.disabled or widget.is_hidden:
                continue
            if isinstance(widget, AutocompleteSelect | AutocompleteSelectMultiple):
                continue
            widget.attrs["autofocus"] = True
            break
        return form


class RegisterPermissionsMixin:
    """A register the Administrator role keeps: visible, addable and changeable by role (ModelAdmins
    and their inlines alike)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return keeps_registers(request.user) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return keeps_registers(request.user) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return keeps_registers(request.user) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return keeps_registers(request.user) or super().has_change_permission(request, obj)  # type: ignore[misc]


class RegisterAdminMixin(AutofocusFirstFieldMixin, RegisterPermissionsMixin):
    """A register's ModelAdmin: kept by Administrators, the cursor in its first field."""


class SuperuserOnlyMixin:
    """A technical section: only superusers see or change it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        allowed: bool = super().has_add_permission(request, *args)  # type: ignore[misc]
        return bool(request.user.is_active and request.user.is_superuser and allowed)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed: bool = super().has_change_permission(request, obj)  # type: ignore[misc]
        return bool(request.user.is_active and request.user.is_superuser and allowed)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed: bool = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return bool(request.user.is_active and request.user.is_superuser and allowed)


# The technical sections, by app label (every model of the app) or "app_label.model_name".
TECHNICAL_SECTIONS: tuple[str, ...] = (
    "axes",
    "django_celery_results",
    "django_celery_beat",
    "otp_totp",
    "otp_static",
    "core.signinevent",
    "core.outboxmessage",
)


def _is_technical(model: Any) -> bool:
    opts = model._meta
    return opts.app_label in TECHNICAL_SECTIONS or opts.label_lower in TECHNICAL_SECTIONS


def restrict_to_superusers(site: admin.AdminSite = admin.site) -> None:
    """Register every technical section's ModelAdmin again, for superusers only. Called once the
    apps' admin modules are imported (``core.apps``)."""
    for model, model_admin in list(site._registry.items()):
        if not _is_technical(model) or isinstance(model_admin, SuperuserOnlyMixin):
            continue
        original = type(model_admin)
        restricted = type(
            original.__name__, (SuperuserOnlyMixin, original), {"__module__": original.__module__}
        )
        site.unregister(model)
        site.register(model, restricted)
