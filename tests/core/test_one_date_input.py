"""One date input: every date a person types into the portal goes through ``core.forms.DateField``.

Seen: governance asked for "27/03/2026" in one text box while the Crest tracker, the Duty and the
performance framework used the GOV.UK day, month and year boxes, so the same person met two ways of
typing a date and two sets of messages. Admin pages keep Django's own widget and are not portal forms.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path

import pytest
from django import forms

from core.forms import DateField
from governance.meeting_forms import ScheduleForm

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def portal_forms() -> list[type[forms.BaseForm]]:
    for app in APPS:
        for path in sorted((ROOT / app).glob("*forms*.py")):
            importlib.import_module(f"{app}.{path.stem}")
    found, queue = [], [forms.BaseForm]
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        # Admin forms keep Django's admin date widget: they are the admin's, not the portal's pages.
        if cls.__module__.split(".")[0] in APPS and ".admin" not in cls.__module__:
            found.append(cls)
    return found


def test_the_portal_has_forms_with_dates_to_check():
    with_dates = {
        cls.__name__
        for cls in portal_forms()
        if any(isinstance(field, DateField) for field in cls.base_fields.values())
    }
    assert {
        "MeetingForm",
        "ActionForm",
        "ActionUpdateForm",
        "MinutesApproveForm",
        "TenureEndForm",
    } <= with_dates


@pytest.mark.parametrize("form", portal_forms(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_no_portal_form_asks_for_a_date_in_a_text_box(form):
    text_dates = [
        name
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField) and not isinstance(field, DateField)
    ]
    assert text_dates == []


def test_the_schedule_helper_proposes_its_dates_in_the_same_input():
    form = ScheduleForm(proposals=[dt.date(2026, 12, 8)])
    assert isinstance(form.fields["date_1"], DateField)
    assert 'name="date_1_0" value="8"' in str(form["date_1"])
