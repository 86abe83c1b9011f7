"""Table rows rendered in Python (``governance.rows``): one string per row, not a template per cell."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from .. import rows

register = template.Library()


@register.simple_tag
def action_rows(actions: Any, public: Any = False, plain: Any = False) -> SafeString:
    return rows.action_rows(actions, public=bool(public), plain=bool(plain))


@register.simple_tag
def attendance_rows(attendance: Any, public: Any = False) -> SafeString:
    return rows.attendance_rows(attendance, public=bool(public))
