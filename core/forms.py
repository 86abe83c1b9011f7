from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from svrp.forms import gds_helper

from .uploads import UploadField  # noqa: F401  (re-exported for other apps' forms)


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app (or, when signing in, a backup code)."""

    code = forms.CharField(
        label=_("Security code"),
        max_length=20,
        error_messages={"required": _("Enter the security code")},
    )

    def __init__(self, *args: Any, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.help_text = help_text
        field.widget.attrs.update(
            {"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        )
        self.helper = gds_helper()

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).replace(" ", "").strip()
