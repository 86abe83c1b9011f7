from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, gds_helper
from core.uploads import UploadField
from governance.models import RAG, Decision, Organisation, Person, TheoryOfChangeActivity

from .models import DeliveryPlan, DutyDocument, Milestone, Strategy
from .selectors import concordat_areas, concordat_authorities


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which document is this a new version of?"),
        choices=DutyDocument.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select which document this is.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter a summary of this version.")},
    )
    file = UploadField(label=_("Upload the document"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("summary", label_size=Size.SMALL),
            Field("file"),
        )


class ApproveForm(forms.Form):
    decision = forms.ModelChoiceField(
        label=_("The decision that approved it"),
        queryset=Decision.objects.none(),
        error_messages={"required": _("Select the decision that approved this version.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["decision"]
        field.queryset = Decision.objects.select_related("meeting__group").order_by("-meeting__date")
        field.label_from_instance = lambda d: f"{d.reference} ({d.meeting.date:%d %b %Y}): {d.text[:80]}"
        self.helper = gds_helper(Field.select("decision"))


class PriorityForm(forms.Form):
    title = forms.CharField(
        label=_("Priority"), max_length=300, error_messages={"required": _("Enter the priority.")}
    )
    toc_activities = forms.ModelMultipleChoiceField(
        label=_("Theory of Change activities it serves"),
        queryset=TheoryOfChangeActivity.objects.order_by("order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    strategies = forms.ModelMultipleChoiceField(
        label=_("Strategies it aligns with"),
        queryset=Strategy.objects.filter(archived_at__isnull=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("title"),
            Field.checkboxes("toc_activities", legend_size=Size.SMALL, small=True),
            Field.checkboxes("strategies", legend_size=Size.SMALL, small=True),
        )


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["name", "kind", "owner", "url"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("name"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("owner"),
            Field.text("url"),
        )


class DisseminationForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Local authority area"), queryset=Organisation.objects.none())
    authority = forms.ModelChoiceField(
        label=_("Specified authority"),
        queryset=Organisation.objects.none(),
        help_text=_("Choose the area's own council to record it sent to the council."),
    )
    sent_on = DateField(label=_("Date sent"))
    sent_to = forms.CharField(
        label=_("Sent to (name and role)"),
        max_length=200,
        error_messages={"required": _("Enter who it was sent to.")},
    )
    email = forms.EmailField(
        label=_("Their e-mail address"),
        required=False,
        help_text=_("Needed to chase an acknowledgement by e-mail."),
    )
    acknowledged_on = DateField(label=_("Date acknowledged"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = concordat_areas()
        authorities = concordat_authorities()
        fields: Any = self.fields
        fields["area"].queryset = Organisation.objects.filter(pk__in=[a.pk for a in areas])
        fields["authority"].queryset = Organisation.objects.filter(
            pk__in=[a.pk for a in [*areas, *authorities]]
        )
        self.helper = gds_helper(
            Field.select("area"),
            Field.select("authority"),
            Field("sent_on"),
            Field.text("sent_to"),
            Field.text("email"),
            Field("acknowledged_on"),
        )


class AcknowledgeForm(forms.Form):
    acknowledged_on = DateField(label=_("Date acknowledged"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("acknowledged_on"))


class ConcordatForm(forms.Form):
    issued_on = DateField(label=_("Date issued"))
    summary = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("issued_on"), Field.textarea("summary", label_size=Size.SMALL))


class MilestoneForm(forms.ModelForm):
    due_date = DateField(label=_("Due date"))
    toc_activities = forms.ModelMultipleChoiceField(
        label=_("Theory of Change activities it serves"),
        queryset=TheoryOfChangeActivity.objects.order_by("order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Milestone
        fields = ["reference", "title", "owner", "organisation", "status", "rag", "grant", "grant_category"]
        widgets = {"status": forms.RadioSelect, "rag": forms.RadioSelect}
        labels = {"rag": _("RAG rating")}

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        fields: Any = self.fields
        fields["owner"].queryset = Person.objects.filter(archived_at__isnull=True)
        fields["organisation"].queryset = Organisation.objects.current()
        fields["rag"].choices = [("", _("Not rated")), *RAG.choices]
        if self.instance.pk:
            fields["toc_activities"].initial = list(self.instance.toc_activities.all())
            fields["due_date"].initial = self.instance.due_date
        layout: list[Any] = [
            Field.text("reference", field_width=10),
            Field.text("title"),
            Field.select("owner"),
            Field.select("organisation"),
            Field("due_date"),
            Field.radios("status", legend_size=Size.SMALL),
            Field.radios("rag", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("toc_activities", legend_size=Size.SMALL, small=True),
        ]
        if plan.kind == DeliveryPlan.Kind.SVD_GRANT:
            layout += [Field.select("grant"), Field.select("grant_category")]
        else:
            del fields["grant"], fields["grant_category"]
        self.helper = gds_helper(*layout)
