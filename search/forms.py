from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, gds_helper

from .selectors import MAX_QUERY
from .services import search_sources


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words to search for"),
        max_length=MAX_QUERY,
        required=False,
        error_messages={
            "max_length": _("Search for %(limit_value)d characters or fewer.") % {"limit_value": MAX_QUERY}
        },
    )
    kind = forms.MultipleChoiceField(
        label=_("What to search"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    date_from = DateField(label=_("From date"), required=False, help_text=_("For example, 1 4 2026."))
    date_to = DateField(label=_("To date"), required=False, help_text=_("For example, 31 3 2027."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the kinds this user may see any of: a filter never names what they cannot open.
        kinds = self.fields["kind"]
        assert isinstance(kinds, forms.MultipleChoiceField)
        kinds.choices = [
            (kind, source.label)
            for kind, source in search_sources().items()
            if source.visible(user) is not None
        ]
        self.helper = gds_helper("q", "kind", "date_from", "date_to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The to date must be the same as or after the from date."))
        return data
