"""Admin: the source reports and new recommendations of later reviews.

Changes to a recommendation go through the tracker's pages (VRU staff only, with the services' rules),
so the admin can add but not delete them, nor change their progress or evidence. Of a recommendation it
changes only the Theory of Change activities it serves, through the same service as the tracker's page
(one history record naming who changed them); its history lists those changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from governance.history import ReadableHistoryAdmin

from . import services
from .models import EvidenceFile, Recommendation, SourceReport


@admin.register(SourceReport)
class SourceReportAdmin(ReadableHistoryAdmin):
    list_display = ["title", "short_name", "author", "published_on"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyAfterCreation(ReadableHistoryAdmin):
    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ReadableHistoryAdmin):
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

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return [name for name in self.fields if name != "toc_activities"]

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "toc_activities":
            kwargs["queryset"] = services.selectable_toc_activities()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            return  # only the links can change here, and save_related saves them
        super().save_model(request, obj, form, change)

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        # Not form.save_m2m(): the service checks the activities and records one history entry.
        services.recommendation_set_toc_activities(
            acting_user=request.user,
            recommendation=form.instance,
            activities=form.cleaned_data["toc_activities"],
        )

    def revert_disabled(self, request: Any, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # Reverting would write every field at once, past the services' rules: past versions are
        # for reading only.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAfterCreation):
    list_display = ["title", "recommendation", "file_type", "size", "created"]

    def has_add_permission(self, request: Any) -> bool:
        return False
