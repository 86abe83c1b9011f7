"""Forms of the register pages (edits happen in the admin; see ``admin/registers.py``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField

from .meeting_forms import GdsForm
from .models import DutyStatus, Sector


class RegisterFilterForm(forms.Form):
    """The register's filters, read from the query string; an unknown value is an error, not ignored."""

    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    status = forms.ChoiceField(
        label=_("Serious Violence Duty status"),
        required=False,
        choices=[("", _("All statuses")), *DutyStatus.choices],
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {"sector": self.cleaned_data["sector"], "status": self.cleaned_data["status"]}


class TenureEndForm(GdsForm):
    """The last day of a tenure; ``confirmed`` is set by the check-your-answers page."""

    end_date = DateField(
        label=_("Last day in the seat"),
        help_text=_("The tenure ends at the end of this day. For example, 30 11 2026."),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
