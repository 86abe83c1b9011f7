"""Admin: the source reports and new recommendations of later reviews.

Changes to a recommendation go through the tracker's pages (VRU staff only, with the services' rules),
so the admin can add but not change or delete them, nor their progress or evidence.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EvidenceFile, Recommendation, SourceReport


@admin.register(SourceReport)
class SourceReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "short_name", "author", "published_on"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyAfterCreation(SimpleHistoryAdmin):
    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAfterCreation):
    list_display = ["number", "report", "status", "rag", "target_date", "publishable"]
    list_filter = ["report", "status", "rag", "publishable"]
    list_select_related = ["report"]
    search_fields = ["number", "text"]
    fields = [
        "report",
        "number",
        "text",
        "owner_person",
        "owner_organisation",
        "target_date",
        "toc_activities",
    ]
    raw_id_fields = ["owner_person", "owner_organisation"]
    filter_horizontal = ["toc_activities"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAfterCreation):
    list_display = ["title", "recommendation", "file_type", "size", "created"]

    def has_add_permission(self, request: Any) -> bool:
        return False
