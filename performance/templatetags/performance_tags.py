from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from performance import permissions
from performance.suppression import Cell

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


@register.simple_tag
def figure_cell(cell: Cell, suffix: str = "") -> SafeString:
    """A figure as every table of the framework shows it: "*" for a small number not shown, a dash
    (and "No figure" for a screen reader) for none, else the number and its suffix. A tag, not an
    include: a measure's page has a cell for each area and quarter of each age band, and an include
    each made most of its cold render."""
    if cell.suppressed:
        return format_html('<span class="app-suppressed" title="{}">*</span>', _("A small number, not shown"))
    if cell.value is None:
        return format_html('<span class="govuk-visually-hidden">{}</span>–', _("No figure"))
    return format_html("{}{}", cell.display, suffix)
