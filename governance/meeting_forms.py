"""Forms for meetings and the action log. They validate input; the services save it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, gds_helper

from .models import (
    RAG,
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    Organisation,
    PartnershipGroup,
    Person,
    TheoryOfChangeActivity,
)


def time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M", "%H:%M:%S"],
        # An instance's time renders as 10:00, not 10:00:00, so the edit form posts back what it accepts.
        widget=forms.TimeInput(format="%H:%M", attrs={"autocomplete": "off"}),
        help_text=_("24-hour clock, for example 14:30."),
        error_messages={"invalid": _("Enter a real time on the 24-hour clock, for example 14:30.")},
    )


def _field(form: forms.BaseForm, name: str) -> Any:
    """A form field, typed loosely so querysets and choices can be narrowed at run time."""
    return form.fields[name]


class GdsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper()


class MeetingForm(forms.ModelForm):
    date = DateField(label=_("Date"), help_text=_("For example, 27 3 2026."))
    start_time = time_field(_("Start time (optional)"))
    end_time = time_field(_("End time (optional)"))
    online_link = forms.URLField(
        label=_("Online meeting link (optional)"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter the full link, for example https://meet.example.org/svrp.")},
    )

    class Meta:
        model = Meeting
        fields = ["group", "title", "date", "start_time", "end_time", "location", "online_link", "status"]
        labels = {
            "group": _("Group"),
            "title": _("Title (optional)"),
            "location": _("Place (optional)"),
            "online_link": _("Online meeting link (optional)"),
            "status": _("Status"),
        }
        help_texts = {"title": _("Leave blank to use the group's name and the date.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "group").queryset = PartnershipGroup.objects.filter(archived_at__isnull=True)
        self.fields["group"].error_messages["required"] = _("Choose the group that meets.")
        self.helper = gds_helper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data

    def _post_clean(self) -> None:
        # The end-after-start constraint is reported on the field above, not twice.
        if self.has_error("end_time"):
            return
        super()._post_clean()  # type: ignore[misc]


class ScheduleForm(GdsForm):
    """The next four SVRP meetings, proposed and then confirmed (or changed, or cleared) by staff."""

    def __init__(self, *args: Any, proposals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, day in enumerate(proposals, start=1):
            self.fields[f"date_{index}"] = DateField(
                label=_("Meeting %(n)s") % {"n": index},
                required=False,
                help_text=_("Proposed %(date)s. Clear the date to skip this meeting.")
                % {"date": f"{day:%A %d %B %Y}"},
            )
            self.initial.setdefault(f"date_{index}", day)

    def dates(self) -> list[Any]:
        return [v for k, v in sorted(self.cleaned_data.items()) if k.startswith("date_") and v]


class AgendaItemForm(GdsForm):
    title = forms.CharField(
        label=_("Agenda item"), max_length=200, error_messages={"required": _("Enter the item's title.")}
    )
    presenter = forms.ModelChoiceField(
        label=_("Presenter (optional)"), required=False, queryset=Person.objects.none()
    )
    description = forms.CharField(
        label=_("Description (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "presenter").queryset = Person.objects.filter(archived_at__isnull=True)


class PaperForm(GdsForm):
    title = forms.CharField(
        label=_("Title of the paper"),
        max_length=200,
        error_messages={"required": _("Enter the paper's title.")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or PowerPoint (PPTX)."),
        error_messages={"required": _("Select a file.")},
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item (optional)"), required=False, queryset=AgendaItem.objects.none()
    )
    confidential = forms.BooleanField(
        label=_("Confidential: for VRU staff and board members only, never published"), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "agenda_item").queryset = meeting.agenda_items.all()


class AttendanceForm(GdsForm):
    status = forms.ChoiceField(label=_("Attendance"), choices=[])
    deputy_name = forms.CharField(
        label=_("Name of the deputy or officer who came"), required=False, max_length=200
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def __init__(self, *args: Any, own: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = [Attendance.Status.PRESENT, Attendance.Status.APOLOGIES, Attendance.Status.DEPUTY]
        if own:
            _field(self, "status").choices = [
                (Attendance.Status.EXPECTED, _("I will attend")),
                (Attendance.Status.APOLOGIES, _("I send my apologies")),
                (Attendance.Status.DEPUTY, _("A deputy will come instead of me")),
            ]
            # Before the meeting the member names who is coming, not who came.
            deputy = self.fields["deputy_name"]
            deputy.label = _("Who will attend instead?")
            deputy.help_text = _("Your deputy's name, if one will come in your place.")
        else:
            statuses = [Attendance.Status.EXPECTED, *statuses, Attendance.Status.ABSENT]
            _field(self, "status").choices = [(s.value, s.label) for s in statuses]


class GuestForm(GdsForm):
    guest_name = forms.CharField(
        label=_("Guest's name"), max_length=200, error_messages={"required": _("Enter the guest's name.")}
    )
    guest_organisation = forms.CharField(
        label=_("Guest's organisation (optional)"), max_length=200, required=False
    )
    authority = forms.ModelChoiceField(
        label=_("Attending for an authority (optional)"),
        help_text=_(
            "Choose the authority this person came for, such as an officer sent when the seat is vacant: "
            "they count towards its attendance."
        ),
        required=False,
        queryset=Organisation.objects.none(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "authority").queryset = Organisation.objects.current()


class DeclarationForm(GdsForm):
    person = forms.ModelChoiceField(
        label=_("Who declared the interest"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose who declared the interest.")},
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item (optional)"), required=False, queryset=AgendaItem.objects.none()
    )
    interest = forms.CharField(
        label=_("Interest declared"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the interest declared.")},
    )
    action_taken = forms.CharField(
        label=_("Action taken (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example, left the meeting for this item."),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "agenda_item").queryset = meeting.agenda_items.all()
        _field(self, "person").queryset = Person.objects.filter(archived_at__isnull=True)


class SubgroupUpdateForm(GdsForm):
    summary = forms.CharField(
        label=_("Summary of the sub-group's work since the last meeting"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter a summary.")},
    )
    rag = forms.ChoiceField(
        label=_("Overall RAG status"),
        choices=RAG.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a RAG status.")},
    )
    escalations = forms.CharField(
        label=_("Issues for escalation to the SVRP (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, group: PartnershipGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The group by its full name: a short name ("KCSG") means little to a new member.
        self.fields["summary"].label = _("Summary of the work of the %(group)s since the last meeting") % {
            "group": group.name
        }
        self.fields["rag"].label = _("Overall RAG status of the %(group)s") % {"group": group.name}


class MinutesForm(GdsForm):
    summary = forms.CharField(
        label=_("Opening summary (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agenda_items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in agenda_items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=str(item), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )

    def entries(self) -> dict[int, str]:
        return {
            int(k.removeprefix("item_")): v for k, v in self.cleaned_data.items() if k.startswith("item_")
        }


class MinutesApproveForm(GdsForm):
    approved_on = DateField(label=_("Date the minutes were approved"), help_text=_("For example, 27 3 2026."))
    approved_at_meeting = forms.ModelChoiceField(
        label=_("Meeting that approved them (optional)"), required=False, queryset=Meeting.objects.none()
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "approved_at_meeting").queryset = Meeting.objects.filter(
            group=meeting.group, date__gte=meeting.date
        ).select_related("group")


class DecisionForm(GdsForm):
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item (optional)"), required=False, queryset=AgendaItem.objects.none()
    )
    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the decision.")},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "agenda_item").queryset = meeting.agenda_items.all()


class ActionForm(GdsForm):
    description = forms.CharField(
        label=_("Action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the action.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose who owns the action.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Owning organisation (optional)"),
        required=False,
        queryset=Organisation.objects.none(),
        help_text=_("Leave blank for the authority the owner represents."),
    )
    due_date = DateField(label=_("Due date"), help_text=_("For example, 30 6 2026."))
    raised_on = DateField(
        label=_("Raised on (optional)"),
        required=False,
        help_text=_(
            "Leave blank when it was raised at the meeting. If it was agreed between meetings, the day it "
            "was agreed: the Home Office report counts it in that day's quarter."
        ),
    )
    toc_activity = forms.ModelChoiceField(
        label=_("Theory of Change activity (optional)"),
        required=False,
        queryset=TheoryOfChangeActivity.objects.none(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "owner").queryset = Person.objects.filter(archived_at__isnull=True).select_related(
            "organisation"
        )
        _field(self, "owner").label_from_instance = lambda p: f"{p.full_name} ({p.organisation.name})"
        _field(self, "organisation").queryset = Organisation.objects.current()
        _field(self, "toc_activity").queryset = TheoryOfChangeActivity.objects.all()


class ActionUpdateForm(GdsForm):
    text = forms.CharField(
        label=_("Update"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter what has happened.")},
    )
    status = forms.ChoiceField(
        label=_("Status after this update"),
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status.")},
    )
    date = DateField(label=_("Date of the update"), help_text=_("For example, 19 5 2026."))


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open_all", _("Open or in progress")), *Action.Status.choices],
    )
    organisation = forms.ModelChoiceField(
        label=_("Owning organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Any organisation"),
    )
    toc_activity = forms.ModelChoiceField(
        label=_("Theory of Change activity"),
        required=False,
        queryset=TheoryOfChangeActivity.objects.none(),
        empty_label=_("Any activity"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "organisation").queryset = Organisation.objects.current()
        _field(self, "toc_activity").queryset = TheoryOfChangeActivity.objects.all()


class MeetingFilterForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Group"),
        required=False,
        queryset=PartnershipGroup.objects.none(),
        empty_label=_("All groups"),
        to_field_name="slug",
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Meeting.Status.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "group").queryset = PartnershipGroup.objects.all()
