"""Reminders the quarterly cycle sent (or is retrying): read-only, for answering "did they get it?"."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ..models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["for_date", "kind", "object_key", "recipient", "sent_at", "attempts"]
    list_filter = ["kind", "for_date"]
    search_fields = ["recipient", "object_key"]
    date_hierarchy = "for_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
