"""Action and attendance statuses read the same as Django's own display, by a faster path."""

from __future__ import annotations

import pytest
from django.db.models import Model

from governance.models import Action, Attendance


@pytest.mark.parametrize("status", [*Action.Status.values, "unknown"])
def test_an_action_shows_the_label_django_would(status: str) -> None:
    action = Action(status=status)
    assert action.get_status_display() == Model._get_FIELD_display(action, Action._meta.get_field("status"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("status", [*Attendance.Status.values, "unknown"])
def test_an_attendance_shows_the_label_django_would(status: str) -> None:
    row = Attendance(status=status)
    assert row.get_status_display() == Model._get_FIELD_display(row, Attendance._meta.get_field("status"))  # type: ignore[attr-defined]
