"""Admin of meetings, attendance, minutes and the action log (with their history)."""

from __future__ import annotations

from django.contrib import admin

from ..history import ReadableHistoryAdmin
from ..models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Decision,
    DeclarationOfInterest,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
    SubgroupUpdate,
)
from .registers import GovernedAdminMixin


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["presenter"]
    # Deleting here would take the item's minutes with it: items go through the agenda page's service.
    can_delete = False


class PaperInline(admin.TabularInline):
    model = Paper
    extra = 0
    fields = ["title", "agenda_item", "original_name", "file_type", "size", "confidential"]
    readonly_fields = ["original_name", "file_type", "size"]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # uploads go through the portal's checked form


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = [
        "person",
        "organisation",
        "status",
        "deputy",
        "deputy_name",
        "guest_name",
        "guest_organisation",
        "note",
    ]
    raw_id_fields = ["person", "deputy", "organisation"]


@admin.register(Meeting)
class MeetingAdmin(GovernedAdminMixin, ReadableHistoryAdmin):
    list_display = ["__str__", "group", "date", "status", "is_demo"]
    list_filter = ["group", "status", "is_demo"]
    search_fields = ["title", "group__name", "location"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline, PaperInline, AttendanceInline]
    list_select_related = ["group"]


class MinuteEntryInline(admin.StackedInline):
    model = MinuteEntry
    extra = 0
    can_delete = False


@admin.register(Minutes)
class MinutesAdmin(GovernedAdminMixin, ReadableHistoryAdmin):
    list_display = ["__str__", "status", "approved_on", "published_at"]
    list_filter = ["status"]
    inlines = [MinuteEntryInline]
    raw_id_fields = ["meeting", "approved_at_meeting"]
    list_select_related = ["meeting__group"]


@admin.register(Decision)
class DecisionAdmin(GovernedAdminMixin, ReadableHistoryAdmin):
    list_display = ["reference", "meeting", "text"]
    search_fields = ["reference", "text"]
    raw_id_fields = ["meeting", "agenda_item"]
    list_select_related = ["meeting__group"]


@admin.register(DeclarationOfInterest)
class DeclarationAdmin(ReadableHistoryAdmin):
    list_display = ["person", "meeting", "agenda_item"]
    raw_id_fields = ["meeting", "agenda_item", "person"]
    list_select_related = ["person", "meeting__group", "agenda_item"]


@admin.register(SubgroupUpdate)
class SubgroupUpdateAdmin(ReadableHistoryAdmin):
    list_display = ["group", "meeting", "rag", "submitted_at"]
    list_filter = ["group", "rag"]
    raw_id_fields = ["meeting"]
    list_select_related = ["group", "meeting__group"]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    can_delete = False
    fields = ["date", "status", "text", "author"]
    readonly_fields = ["author"]


@admin.register(Action)
class ActionAdmin(GovernedAdminMixin, ReadableHistoryAdmin):
    list_display = ["reference", "owner", "organisation", "due_date", "status", "is_demo"]
    list_filter = ["status", "organisation", "toc_activity", "is_demo"]
    search_fields = ["reference", "description", "owner__full_name"]
    raw_id_fields = ["meeting", "owner"]
    inlines = [ActionUpdateInline]
    list_select_related = ["owner", "organisation"]
