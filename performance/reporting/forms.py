from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import gds_helper
from governance.quarters import FinancialQuarter

from ..selectors import collection_quarter, quarter_window

CHOICES_QUARTERS = 8


class GenerateForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args: Any, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        last = collection_quarter(today)
        field: Any = self.fields["quarter"]
        field.choices = [(q.slug, q.label) for q in reversed(quarter_window(last, CHOICES_QUARTERS))]
        field.initial = last.slug
        field.help_text = _("Only quarters that have ended can be reported on.")
        self.helper = gds_helper(Field.select("quarter"))

    def clean_quarter(self) -> FinancialQuarter:
        return FinancialQuarter.parse(self.cleaned_data["quarter"])


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the submitted report need correcting?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter why the submitted report needs correcting.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=3))
