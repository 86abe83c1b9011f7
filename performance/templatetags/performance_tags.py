from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from performance import permissions

register = template.Library()


@register.filter
def money(value: Decimal | int | float | None) -> str:
    """Whole pounds with thousands separators and a real minus sign: "−£3,340"."""
    if value is None:
        return "–"
    amount = Decimal(value).quantize(Decimal("1"))
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,}"


@register.filter
def may_view_returns(user: Any) -> bool:
    """Whether the sub-navigation offers the data returns page (VRU staff only)."""
    return permissions.can_view_returns(user)
