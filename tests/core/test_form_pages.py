"""The one shape of a form page: a valid POST calls the service; its refusal lands on the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.forms import Saved, form_saved


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_valid_post_calls_the_service_once_and_answers_what_it_returned():
    calls = []
    request = RequestFactory().post("/", {"name": "Val"})
    saved = form_saved(
        request, form := NameForm(request.POST), lambda: calls.append(form.cleaned_data) or None
    )
    assert saved == Saved(None)  # accepted, even though the service answered None
    assert calls == [{"name": "Val"}]


def test_a_get_or_an_invalid_form_never_calls_the_service():
    def fail() -> None:
        raise AssertionError("called")

    assert form_saved(RequestFactory().get("/"), NameForm(), fail) is None
    request = RequestFactory().post("/", {"name": ""})
    form = NameForm(request.POST)
    assert form_saved(request, form, fail) is None
    assert form.errors["name"]


def test_a_services_refusal_goes_on_its_field_and_the_rest_at_the_top():
    request = RequestFactory().post("/", {"name": "Val"})
    form = NameForm(request.POST)

    def refuse() -> None:
        raise ValidationError({"name": "Taken.", "other": "Not now."})

    assert form_saved(request, form, refuse) is None
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Not now."]
