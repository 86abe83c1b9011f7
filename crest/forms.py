from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, gds_helper
from governance.models import RAG, Action, Meeting, Organisation, Person, TheoryOfChangeActivity
from governance.register_selectors import svrp_group

from .models import Recommendation
from .services import selectable_toc_activities


class RecommendationForm(forms.ModelForm):
    target_date = DateField(label=_("Target date"), required=False, help_text=_("For example, 31 3 2026."))

    class Meta:
        model = Recommendation
        fields = [
            "text",
            "owner_person",
            "owner_organisation",
            "response",
            "response_reason",
            "status",
            "rag",
            "target_date",
            "publishable",
        ]
        widgets = {
            "response": forms.RadioSelect,
            "status": forms.RadioSelect,
            "rag": forms.RadioSelect,
        }
        labels = {"rag": _("RAG rating"), "publishable": _("Publish this recommendation on the public pages")}
        help_texts = {
            "response_reason": _("Required unless the recommendation is accepted."),
            "publishable": _("Only its number, text, status and RAG rating are published."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["owner_person"].queryset = Person.objects.filter(archived_at__isnull=True).select_related(
            "organisation"
        )
        fields["owner_organisation"].queryset = Organisation.objects.current()
        rag = fields["rag"]
        rag.choices = [("", _("Not rated")), *RAG.choices]
        status = fields["status"]
        if self.instance.status != Recommendation.Status.ACHIEVED:
            # Achievement needs evidence and the board's sign-off: it has its own page.
            status.choices = [c for c in status.choices if c[0] != Recommendation.Status.ACHIEVED]
            status.help_text = _(
                "To record achievement, use “Mark as achieved” on the recommendation’s page."
            )
        self.helper = gds_helper(
            Field.textarea("text", label_size=Size.SMALL, rows=4),
            Field.select("owner_person"),
            Field.select("owner_organisation"),
            Field.radios("response", legend_size=Size.SMALL),
            Field.textarea("response_reason", label_size=Size.SMALL, rows=3),
            Field.radios("status", legend_size=Size.SMALL),
            Field.radios("rag", legend_size=Size.SMALL, inline=True),
            Field("target_date"),
            Field.checkbox("publishable"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("response") not in (None, Recommendation.Response.ACCEPTED)
            and not (cleaned.get("response_reason") or "").strip()
        ):
            self.add_error(
                "response_reason",
                _("Give the reason when a recommendation is only partly accepted or not accepted."),
            )
        return cleaned


class ProgressForm(forms.Form):
    date = DateField(label=_("Date of the update"))
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))
    rag = forms.ChoiceField(label=_("RAG rating"), choices=RAG.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Enter the progress made.")
        self.fields["rag"].error_messages["required"] = _("Select a RAG rating.")
        self.helper = gds_helper(
            Field("date"),
            Field.textarea("text", label_size=Size.SMALL),
            Field.radios("rag", legend_size=Size.SMALL, inline=True),
        )

    def clean_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of the update must be today or in the past."))
        return value


class LinkActionForm(forms.Form):
    reference = forms.CharField(
        label=_("Action reference"),
        max_length=30,
        help_text=_("As in the action log, for example SVRP-2026-07."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].error_messages["required"] = _("Enter the action’s reference.")
        self.fields["reference"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.helper = gds_helper(Field.text("reference", label_size=Size.SMALL))

    def clean_reference(self) -> Action:
        reference = self.cleaned_data["reference"].strip()
        action = Action.objects.filter(reference__iexact=reference).first()
        if action is None:
            raise ValidationError(_("There is no action with the reference %(ref)s.") % {"ref": reference})
        return action


class EvidenceFileForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("A PDF, Word, Excel or PowerPoint file."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Enter a title for the evidence.")
        self.fields["file"].error_messages["required"] = _("Select a file.")
        self.helper = gds_helper(Field.text("title", label_size=Size.SMALL), Field("file"))


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date:%d %B %Y} – {obj}"


class MarkAchievedForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence of achievement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What shows the recommendation is achieved. Not needed if an evidence file is uploaded."),
    )
    meeting = MeetingChoiceField(
        label=_("Meeting where the board signed it off"),
        queryset=Meeting.objects.none(),
        empty_label=_("Select a meeting"),
    )
    achieved_on = DateField(label=_("Date achieved"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = svrp_group()
        meetings = (
            Meeting.objects.select_related("group")
            .filter(date__lte=timezone.localdate(), group=group)
            .exclude(status=Meeting.Status.CANCELLED)
        )
        meeting_field: Any = self.fields["meeting"]
        meeting_field.queryset = meetings.order_by("-date") if group else Meeting.objects.none()
        self.fields["meeting"].error_messages["required"] = _(
            "Select the meeting where the board signed off the recommendation."
        )
        self.helper = gds_helper(
            Field.textarea("evidence", label_size=Size.SMALL),
            Field.select("meeting"),
            Field("achieved_on"),
        )


class BulkUpdateForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("The tracker exported as CSV or Excel (XLSX), with your changes."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = _("Select a spreadsheet.")
        self.helper = gds_helper(Field("file"))


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


GROUP_HEADINGS: dict[str, Any] = {
    TheoryOfChangeActivity.Kind.ACTIVITY: _("Activities"),
    TheoryOfChangeActivity.Kind.FUNCTION: _("Further functions of the SVRP"),
}


class TocLinksForm(forms.Form):
    """The ToC activities a recommendation serves: GOV.UK checkboxes, activities then further functions.

    Rendered by ``crest/toc_links.html`` (crispy-forms-gds cannot group checkboxes, and its error
    summary links to ``#id_activities``, which here is the first checkbox, as the Design System asks).
    """

    activities = ActivityChoiceField(
        label=_("Theory of Change activities"),
        queryset=TheoryOfChangeActivity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select every activity this recommendation serves, or none."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["activities"]
        field.queryset = selectable_toc_activities()
        message = _("Select activities from the list: one of those chosen is not in the Theory of Change.")
        field.error_messages["invalid_choice"] = message
        field.error_messages["invalid_pk_value"] = message
        self.helper = gds_helper()

    def groups(self) -> list[dict[str, Any]]:
        """The checkboxes in ToC order, activities then further functions, each with its id and state.

        The first checkbox takes the field's own id, so the error summary's link lands on it.
        """
        bound: Any = self["activities"]
        chosen = {str(v) for v in (bound.value() or [])}
        field: Any = self.fields["activities"]
        by_kind: dict[str, list[TheoryOfChangeActivity]] = {}
        for activity in field.queryset:
            by_kind.setdefault(activity.kind, []).append(activity)
        groups: list[dict[str, Any]] = []
        number = 0
        # Every kind, so that no linked activity is left off the form (and unlinked by saving it).
        kinds = [*GROUP_HEADINGS, *(k for k in by_kind if k not in GROUP_HEADINGS)]
        for kind in kinds:
            heading = GROUP_HEADINGS.get(kind, kind)
            items = []
            for activity in by_kind.get(kind, []):
                number += 1
                items.append(
                    {
                        "activity": activity,
                        "id": bound.auto_id if number == 1 else f"{bound.auto_id}_{number}",
                        "checked": str(activity.pk) in chosen,
                    }
                )
            if items:
                groups.append({"heading": heading, "items": items})
        return groups
