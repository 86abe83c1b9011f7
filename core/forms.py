"""Form helpers every app's forms use, and the core app's own forms (sign-in, two-factor code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .parameters import whole_number
from .uploads import UploadField  # noqa: F401  (re-exported for other apps' forms)


def gds_helper(*fields: object, submit: str | None = None) -> FormHelper:
    """A crispy-forms-gds helper with the settings every portal form needs (TRAPS.md)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.attrs = {"novalidate": ""}
    helper.show_non_field_errors = True
    if fields:
        helper.layout = Layout(*fields)
        if submit:
            helper.layout.append(Button("submit", submit))
    return helper


class DateField(DateInputField):
    """The one GOV.UK date input (day, month, year) of the portal, with the Design System's messages.

    Each part is read by the strict parser (``core.parameters``): ASCII digits only, so "²", "٣" or a
    400-digit year is "Enter a real date", never a server error or a date nobody typed.
    """

    def __init__(self, *, label: Any, required: bool = True, help_text: Any = "") -> None:
        super().__init__(label=label, required=required, help_text=help_text, require_all_fields=False)
        self.error_messages["required"] = _("Enter the %(label)s.") % {"label": str(label).lower()}
        self.error_messages["incomplete"] = _("The %(label)s must include a day, month and year.") % {
            "label": str(label).lower()
        }

    def compress(self, data_list: Any) -> dt.date | None:
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day and month and year):
            return None
        parts = (
            whole_number(day, minimum=1, maximum=31, max_digits=2),
            whole_number(month, minimum=1, maximum=12, max_digits=2),
            whole_number(year, minimum=1900, maximum=2999, max_digits=4),
        )
        try:
            if None in parts:
                raise ValueError(data_list)
            return dt.date(day=parts[0], month=parts[1], year=parts[2])  # type: ignore[arg-type]
        except ValueError as error:
            raise ValidationError(_("Enter a real date."), code="invalid") from error


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.helper = gds_helper()


T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What a service answered for a form that was saved (always true, even when the answer is None)."""

    value: T


def form_saved(request: HttpRequest, form: Any, save: Callable[[], T]) -> Saved[T] | None:
    """The one shape of a form page: on a valid POST call the service; its refusal goes on the form.

    Answers ``Saved`` when the service accepted, else None (a GET, an invalid form or a refusal), so a
    view reads ``if saved := form_saved(request, form, lambda: service(...)): … redirect``.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return Saved(save())
    except ValidationError as error:
        apply_service_error(form, error)
        return None


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    button: str,
    back: str,
    template: str = "form_page.html",
    **extra: Any,
) -> HttpResponse:
    """Render a one-form page (``templates/form_page.html``, or a template that extends it)."""
    context = {"form": form, "title": title, "button": button, "back": back, **extra}
    return render(request, template, context)


def apply_service_error(form: Any, error: ValidationError) -> None:
    """Put a service's refusal on its form: field errors on their fields, the rest at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
