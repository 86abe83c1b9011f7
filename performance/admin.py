from __future__ import annotations

from django.contrib import admin

from governance.history import ReadableHistoryAdmin

from .models import (
    Area,
    Figure,
    FigureCorrection,
    Grant,
    Measure,
    Outcome,
    Period,
    SpendReturn,
    SurveyAspect,
    SurveyRound,
)


@admin.register(Outcome)
class OutcomeAdmin(ReadableHistoryAdmin):
    list_display = ["code", "text"]


@admin.register(Measure)
class MeasureAdmin(ReadableHistoryAdmin):
    list_display = ["code", "short_title", "data_source", "unit", "home_office", "derived", "target"]
    list_filter = ["home_office", "derived", "unit"]
    search_fields = ["code", "short_title", "text"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_total", "order"]


@admin.register(Period)
class PeriodAdmin(ReadableHistoryAdmin):
    list_display = ["__str__", "deadline", "locked_at"]
    readonly_fields = ["locked_at", "locked_by"]


@admin.register(Figure)
class FigureAdmin(ReadableHistoryAdmin):
    """Read-only here: figures change through the submit page's services, and locked ones by correction."""

    list_display = ["measure", "period", "area", "age_band", "value", "status"]
    list_filter = ["status", "measure", "area", "age_band"]
    list_select_related = ["measure", "period", "area"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(FigureCorrection)
class FigureCorrectionAdmin(admin.ModelAdmin):
    list_display = ["figure", "old_value", "new_value", "corrected_by", "corrected_at"]
    list_select_related = ["figure__measure", "figure__period", "figure__area", "corrected_by"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(SurveyAspect)
class SurveyAspectAdmin(admin.ModelAdmin):
    list_display = ["text", "order", "active"]


@admin.register(SurveyRound)
class SurveyRoundAdmin(ReadableHistoryAdmin):
    list_display = ["__str__", "opened_at", "closes_on", "closed_at"]


@admin.register(Grant)
class GrantAdmin(ReadableHistoryAdmin):
    list_display = ["__str__", "allocation", "labour_allocation", "non_labour_allocation"]


@admin.register(SpendReturn)
class SpendReturnAdmin(ReadableHistoryAdmin):
    list_display = ["grant", "period", "category", "forecast", "actual"]
    list_select_related = ["grant", "period"]
