"""Forms of the framework's pages; they validate, the services save."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, gds_helper
from core.uploads import UploadField
from governance.models import TheoryOfChangeActivity
from governance.quarters import FinancialQuarter

from . import permissions
from .models import AgeBand, Area, Figure, Grant, Measure, Period, SpendReturn, SurveyResponse, SurveyRound

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.short_title}"


class FigureForm(forms.Form):
    measure = MeasureChoiceField(label=_("Measure"), queryset=Measure.objects.none(), empty_label=None)
    period = forms.ModelChoiceField(
        label=_("Quarter"), queryset=Period.objects.filter(locked_at__isnull=True), empty_label=None
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.all(), empty_label=None)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices, initial=AgeBand.ALL)
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=12, decimal_places=2)
    numerator = forms.DecimalField(
        label=_("Numerator (optional)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("For percentages and rates: the number counted."),
    )
    denominator = forms.DecimalField(
        label=_("Denominator (optional)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("For percentages and rates: the population or total it is out of."),
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Reason for changing a verified figure"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when changing a figure already verified: its verified value is kept beside the new one."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["measure"]
        field.queryset = Measure.objects.for_organisation(permissions.person_organisation_id(user))
        period: Any = self.fields["period"]
        # Only quarters now being collected (ended, not locked); the latest is the default.
        period.queryset = Period.objects.collecting()
        if not self.is_bound and "period" not in self.initial:
            self.initial["period"] = period.queryset.first()
        self.helper = gds_helper(
            Field.select("measure"),
            Field.select("period"),
            Field.select("area"),
            Field.select("age_band"),
            Field.text("value"),
            Field.text("numerator"),
            Field.text("denominator"),
            Field.textarea("note", rows=2),
            Field.textarea("reason", rows=2),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # The figure's rules are the model's: the form shows the same refusal as the API and the import.
        figure = Figure(
            measure=data.get("measure"),
            period=data.get("period"),
            area=data.get("area"),
            age_band=data.get("age_band") or AgeBand.ALL,
            value=data.get("value"),  # type: ignore[misc]
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
        )
        try:
            figure.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    if name in self.fields and name not in self.errors:
                        self.add_error(name, message)
        return data


class UploadForm(forms.Form):
    # Checked by what the bytes are (core.uploads), not by the name alone.
    file = UploadField(
        allowed={"csv", "xlsx"},
        max_bytes=MAX_UPLOAD_BYTES,
        label=_("Upload a CSV or Excel file of figures"),
        help_text=_("Columns: measure, period, area, age_band, value, numerator, denominator, note."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("file"))


class CorrectionForm(forms.Form):
    new_value = forms.DecimalField(label=_("Corrected value"), min_value=0, max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("new_value"), Field.textarea("reason", rows=3))


class SurveyOpenForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Quarter"), queryset=Period.objects.none(), empty_label=None)
    closes_on = DateField(label=_("Closing date"), help_text=_("For example, 31 12 2026."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["period"]
        field.queryset = Period.objects.exclude(survey_rounds__isnull=False).order_by("-year", "-quarter")
        self.helper = gds_helper(Field.select("period"), Field("closes_on"))


class SurveyAnswerForm(forms.Form):
    """One radio group per aspect of the round."""

    def __init__(
        self, *args: Any, survey: SurveyRound, initial_ratings: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        layout = []
        for aspect in survey.aspects.all():
            name = f"aspect_{aspect.pk}"
            self.fields[name] = forms.ChoiceField(
                label=aspect.text,
                choices=SurveyResponse.Rating.choices,
                widget=forms.RadioSelect,
                initial=initial_ratings.get(aspect.pk),
                error_messages={"required": _("Rate your understanding of “%(a)s”.") % {"a": aspect.text}},
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL))
        self.helper = gds_helper(*layout)

    def ratings(self) -> dict[int, str]:
        return {int(name.removeprefix("aspect_")): value for name, value in self.cleaned_data.items()}


class GrantReturnForm(forms.Form):
    grant = forms.ModelChoiceField(label=_("Grant"), queryset=Grant.objects.all(), empty_label=None)
    period = forms.ModelChoiceField(label=_("Quarter"), queryset=Period.objects.none(), empty_label=None)
    category = forms.ChoiceField(label=_("Category"), choices=SpendReturn.Category.choices)
    forecast = forms.DecimalField(label=_("Forecast spend (£)"), min_value=0, max_digits=12, decimal_places=2)
    actual = forms.DecimalField(
        label=_("Actual spend (£, optional)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave blank until the quarter's spend is known."),
    )
    toc_activity = forms.ModelChoiceField(
        label=_("Theory of Change activity (optional)"),
        required=False,
        queryset=TheoryOfChangeActivity.objects.all(),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["period"]
        field.queryset = Period.objects.order_by("-year", "-quarter")
        self.helper = gds_helper(
            Field.select("grant"),
            Field.select("period"),
            Field.select("category"),
            Field.text("forecast"),
            Field.text("actual"),
            Field.select("toc_activity"),
            Field.text("note"),
        )


class ReturnsQuarterForm(forms.Form):
    """The returns page's quarter, read from the query string (``?quarter=2026-27-q1``); a quarter
    that is not offered is an error shown on the page, not a crash or a silent default."""

    quarter = forms.ChoiceField(
        label=_("Quarter"),
        error_messages={
            "required": _("Choose a quarter."),
            "invalid_choice": _("Choose a quarter from the list."),
        },
    )

    def __init__(self, *args: Any, quarters: list[FinancialQuarter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._quarters = {q.slug: q for q in quarters}
        field: Any = self.fields["quarter"]
        field.choices = [(q.slug, q.label) for q in quarters]

    def clean_quarter(self) -> FinancialQuarter:
        return self._quarters[self.cleaned_data["quarter"]]
