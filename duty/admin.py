"""Admin: the delivery plans and the strategies register can be added here (through the services).

Everything else about the Duty's records is changed on its pages (VRU staff, with the services'
rules); the admin shows them and their history, and deletes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Concordat, DeliveryPlan, Dissemination, DutyDocument, Milestone, Strategy


class AddOnly(SimpleHistoryAdmin):
    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(DeliveryPlan)
class DeliveryPlanAdmin(AddOnly):
    list_display = ["kind", "year"]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        saved = services.plan_create(acting_user=request.user, kind=obj.kind, year=obj.year)
        obj.pk = saved.pk


@admin.register(Strategy)
class StrategyAdmin(AddOnly):
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
