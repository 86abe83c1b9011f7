"""Every single-line text a person types refuses control characters, at the model (so every form, the
API, imports and the admin refuse it with the same message).

A new CharField must either carry ``core.validators.single_line`` or be named below with its reason:
written by the portal itself, or kept as evidence exactly as it came.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from core.validators import single_line

APPS = ("governance", "crest", "performance", "duty", "api", "core")
NOT_TYPED_ON_ONE_LINE = {
    # Written by the portal, never typed.
    "governance.Paper.file_type",
    "crest.EvidenceFile.file_type",
    "duty.DutyDocument.file_type",
    "governance.Reminder.object_key",
    "governance.Reminder.recipient",
    "governance.Reminder.last_error",
    "performance.ReportFile.sha256",
    "api.ApiToken.prefix",
    "api.ApiToken.key_hash",
    "core.OutboxMessage.task_name",
    "core.OutboxMessage.queue",
    "core.ContentChange.scope",
    "core.WorkerHeartbeat.worker",
    # The name a file came with: shown as it was, never put in a header (downloads are named afresh).
    "governance.Paper.original_name",
    "crest.EvidenceFile.original_name",
    "duty.DutyDocument.original_name",
    # Evidence of a sign-in attempt, kept exactly as it came, whatever it holds.
    "core.SignInEvent.username",
    "core.SignInEvent.user_agent",
    # Typed in a box of several lines.
    "governance.Attendance.note",
    "governance.DeclarationOfInterest.action_taken",
    "performance.Outcome.text",
    "performance.Measure.baseline_note",
    "performance.Figure.note",
    "performance.Figure.change_reason",
    "performance.SpendReturn.note",
    "performance.SurveyAspect.text",
}


def _typed_fields():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.CharField)
                    and not isinstance(field, models.EmailField | models.URLField | models.SlugField)
                    and not field.choices
                ):
                    yield f"{app}.{model.__name__}.{field.name}", field


def test_every_single_line_text_field_refuses_control_characters():
    missing = [
        name
        for name, field in _typed_fields()
        if name not in NOT_TYPED_ON_ONE_LINE and single_line not in field.validators
    ]
    assert not missing, f"add validators=[single_line] (or say why not above): {missing}"
    assert len(dict(_typed_fields())) > len(NOT_TYPED_ON_ONE_LINE)  # the walk found the fields


@pytest.mark.parametrize("value", ["Line\r\nBcc: x", "Tab\there", "Nul\x00", "Bell\x07", "Sep\u2028x"])
def test_the_validator_refuses_each_control_character_with_a_clear_message(value):
    with pytest.raises(ValidationError) as error:
        single_line(value)
    assert "without line breaks, tabs or other control characters" in error.value.messages[0]
