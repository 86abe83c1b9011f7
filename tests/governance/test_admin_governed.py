"""The admin writes around no rule: governed records are never deleted there, and an admin edit
names its author on the record and in its history, as a service does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import Action, Decision, Meeting, Membership, Minutes

from .factories import ActionFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(svrp):
    meeting = MeetingFactory(group=svrp.group)
    return {
        Meeting: meeting,
        Minutes: Minutes.objects.create(meeting=meeting),
        Decision: Decision.objects.create(meeting=meeting, reference="D-1", text="Agree."),
        Action: ActionFactory(meeting=meeting),
        Membership: MembershipFactory(group=svrp.group),
    }


@pytest.mark.parametrize("model", [Meeting, Minutes, Decision, Action, Membership])
def test_the_admin_cannot_delete_a_governed_record(records, client_for, superuser, model):
    obj = records[model]
    opts = model._meta
    client = client_for(superuser)
    delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).text
    assert "delete_selected" not in changelist
    assert model.objects.filter(pk=obj.pk).exists()


def test_an_admin_edit_writes_history_with_its_author(records, client_for, superuser):
    meeting = records[Meeting]
    client = client_for(superuser)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"location": "Eastleigh", "date": meeting.date.isoformat()})
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for i, inline_form in enumerate(inline.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[f"{inline.formset.prefix}-{i}-{name}"] = "" if value is None else value
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.location == "Eastleigh"
    assert meeting.modified_by == superuser
    assert meeting.history.latest().history_user == superuser
