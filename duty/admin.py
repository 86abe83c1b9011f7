"""Admin: the delivery plans and the strategies register can be added here (through the services).

Everything else about the Duty's records is changed on its pages (VRU staff, with the services'
rules); the admin shows them and their history, and deletes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_access import keeps_registers

from . import services
from .models import Concordat, DeliveryPlan, Dissemination, DutyDocument, Milestone, Strategy


class AddOnly(SimpleHistoryAdmin):
    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class KeptByAdministrators:
    """The Duty's two registers: Administrators see them and add to them (the role, not model
    permissions, as for the membership registers in ``core.admin_access``); nobody changes them here."""

    def has_module_permission(self, request: Any) -> bool:
        return keeps_registers(request.user) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return keeps_registers(request.user) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: Any) -> bool:
        return keeps_registers(request.user) or super().has_add_permission(request)  # type: ignore[misc]


@admin.register(DeliveryPlan)
class DeliveryPlanAdmin(KeptByAdministrators, AddOnly):
    list_display = ["kind", "year"]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        saved = services.plan_create(acting_user=request.user, kind=obj.kind, year=obj.year)
        obj.pk = saved.pk


@admin.register(Strategy)
class StrategyAdmin(KeptByAdministrators, AddOnly):
    list_display = ["name", "kind", "owner"]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        saved = services.strategy_create(
            acting_user=request.user, name=obj.name, kind=obj.kind, owner=obj.owner, url=obj.url
        )
        obj.pk = saved.pk


class ReadOnly(AddOnly):
    def has_add_permission(self, request: Any) -> bool:
        return False


for model in (DutyDocument, Concordat, Dissemination, Milestone):
    admin.site.register(model, ReadOnly)
