from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import OutboxMessage, SignInEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept as evidence: readable by administrators, changed by no one."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    list_display = ("created", "username", "user", "outcome", "ip_address")
    list_filter = ("outcome", "created")
    search_fields = ("username", "ip_address")
    date_hierarchy = "created"
    list_select_related = ("user",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created", "task_name", "queue", "attempts", "sent_at")
    list_filter = ("task_name",)
    readonly_fields = ("task_name", "kwargs", "queue", "created", "attempts", "last_error", "sent_at")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(SimpleHistoryAdmin, UserAdmin):  # type: ignore[misc]
    """Django's user admin with the change history kept by django-simple-history."""
