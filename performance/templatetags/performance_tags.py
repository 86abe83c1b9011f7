from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value: Decimal | int | float | None) -> str:
    """Whole pounds with thousands separators and a real minus sign: "−£3,340"."""
    if value is None:
        return "–"
    amount = Decimal(value).quantize(Decimal("1"))
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,}"
