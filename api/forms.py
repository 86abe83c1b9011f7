from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import gds_helper


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "What the token is for, so you can tell it apart later, for example “Constabulary Q1 upload”."
        ),
        error_messages={
            "required": _("Enter a name for the token."),
            "max_length": _("The name must be 100 characters or fewer."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.helper = gds_helper()
