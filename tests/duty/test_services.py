from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from duty import services
from duty.models import DeliveryPlan, DutyDocument, Milestone
from duty.selectors import CellState, concordat_grid
from governance.models import Reminder
from tests.governance.factories import OrganisationFactory
from tests.governance.uploads import pdf

pytestmark = pytest.mark.django_db


def test_versions_are_numbered_per_document_and_start_as_drafts():
    first = services.document_add(acting_user=None, kind="needs_assessment", summary="S", file=pdf())
    second = services.document_add(acting_user=None, kind="needs_assessment", summary="S2", file=pdf())
    other = services.document_add(acting_user=None, kind="response_strategy", summary="R", file=pdf())
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.status == DutyDocument.Status.DRAFT


def test_a_file_that_is_not_what_its_name_says_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("nsa.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.document_add(acting_user=None, kind="needs_assessment", summary="S", file=fake)
    assert "file" in error.value.message_dict
    assert not DutyDocument.objects.exists()


def test_approval_takes_the_meetings_date_and_sets_the_review_a_year_on(approved_strategy):
    assert approved_strategy.status == DutyDocument.Status.APPROVED
    assert approved_strategy.approved_on == dt.date(2026, 3, 10)
    assert approved_strategy.review_due == dt.date(2027, 3, 10)
    assert approved_strategy.history.count() == 2


def test_a_version_is_approved_once(approved_strategy, decision):
    with pytest.raises(ValidationError):
        services.document_approve(acting_user=None, document=approved_strategy, decision=decision)


def test_only_the_response_strategy_has_priorities(decision):
    nsa = services.document_add(acting_user=None, kind="needs_assessment", summary="S", file=pdf())
    with pytest.raises(ValidationError):
        services.priority_add(acting_user=None, document=nsa, title="A priority")


def test_review_reminders_go_once_when_due_and_once_more_when_overdue(approved_strategy, vru_staff):
    vru_staff.email = "staff@example.org"
    vru_staff.save()
    with time_machine.travel(dt.datetime(2027, 2, 20, 8, tzinfo=dt.UTC)):
        assert services.review_reminders_send(today=dt.date(2027, 2, 20)) == 1
        assert services.review_reminders_send(today=dt.date(2027, 2, 21)) == 0
    assert services.review_reminders_send(today=dt.date(2027, 3, 11)) == 1
    assert services.review_reminders_send(today=dt.date(2027, 4, 1)) == 0
    assert [m.subject for m in mail.outbox] == [
        "Review due: Response Strategy v1",
        "Review overdue: Response Strategy v1",
    ]
    assert set(Reminder.objects.values_list("kind", flat=True)) == {
        Reminder.Kind.DOCUMENT_REVIEW_DUE,
        Reminder.Kind.DOCUMENT_REVIEW_OVERDUE,
    }


def test_no_reminder_long_before_the_review(approved_strategy, vru_staff):
    assert services.review_reminders_send(today=dt.date(2026, 12, 1)) == 0


def test_the_grid_counts_sent_acknowledged_and_outstanding(areas, police):
    concordat = services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    portsmouth, southampton = areas
    services.dissemination_record(
        acting_user=None,
        concordat=concordat,
        area=portsmouth,
        authority=police,
        sent_on=dt.date(2026, 4, 2),
        sent_to="District commander",
        acknowledged_on=dt.date(2026, 4, 9),
    )
    services.dissemination_record(
        acting_user=None,
        concordat=concordat,
        area=southampton,
        authority=southampton,
        sent_on=dt.date(2026, 4, 2),
        sent_to="Head of Community Safety",
    )
    grid = concordat_grid(concordat)
    assert grid.counts == {CellState.ACKNOWLEDGED: 1, CellState.SENT: 1, CellState.NOT_SENT: 2}
    assert grid.outstanding == 3


def test_a_concordat_goes_only_to_an_area_and_a_specified_authority(areas, police):
    concordat = services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    voluntary = OrganisationFactory(name="A charity", sector="voluntary", duty_status="none")
    with pytest.raises(ValidationError):
        services.dissemination_record(
            acting_user=None,
            concordat=concordat,
            area=police,
            authority=police,
            sent_on=dt.date(2026, 4, 2),
            sent_to="x",
        )
    with pytest.raises(ValidationError):
        services.dissemination_record(
            acting_user=None,
            concordat=concordat,
            area=areas[0],
            authority=voluntary,
            sent_on=dt.date(2026, 4, 2),
            sent_to="x",
        )


def test_an_acknowledgement_cannot_come_before_the_sending(areas, police):
    concordat = services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    sent = services.dissemination_record(
        acting_user=None,
        concordat=concordat,
        area=areas[0],
        authority=police,
        sent_on=dt.date(2026, 4, 2),
        sent_to="x",
    )
    with pytest.raises(ValidationError):
        services.dissemination_acknowledge(
            acting_user=None, dissemination=sent, acknowledged_on=dt.date(2026, 4, 1)
        )


def test_a_chase_mails_each_outstanding_authority_once(areas, police, django_capture_on_commit_callbacks):
    concordat = services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    for area in areas:
        services.dissemination_record(
            acting_user=None,
            concordat=concordat,
            area=area,
            authority=police,
            sent_on=dt.date(2026, 4, 2),
            sent_to="Commander",
            email=f"{area.name.split()[0].lower()}@police.example",
        )
    services.dissemination_acknowledge(
        acting_user=None,
        dissemination=concordat.disseminations.get(area=areas[0]),
        acknowledged_on=dt.date(2026, 4, 3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        chase = services.concordat_chase(acting_user=None, concordat=concordat)
    assert [m.to for m in mail.outbox] == [["southampton@police.example"]]
    # The task run again (a retry, a duplicate delivery) sends nothing more.
    assert services.chase_send(chase_id=chase.pk) == 0
    # A new chase is a new e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        services.concordat_chase(acting_user=None, concordat=concordat)
    assert len(mail.outbox) == 2


def test_nothing_to_chase_when_all_acknowledged(areas, police):
    concordat = services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError):
        services.concordat_chase(acting_user=None, concordat=concordat)


def test_a_milestone_completes_with_its_day_and_reopens_without_it(owner):
    plan = services.plan_create(acting_user=None, kind=DeliveryPlan.Kind.VRU, year=2026)
    fields = {
        "reference": "M1",
        "title": "Launch",
        "owner": owner,
        "organisation": owner.organisation,
        "due_date": dt.date(2026, 6, 30),
    }
    milestone = services.milestone_save(acting_user=None, plan=plan, **fields)
    milestone = services.milestone_save(
        acting_user=None, plan=plan, milestone=milestone, status=Milestone.Status.COMPLETE
    )
    assert milestone.completed_on is not None
    milestone = services.milestone_save(
        acting_user=None, plan=plan, milestone=milestone, status=Milestone.Status.IN_PROGRESS
    )
    assert milestone.completed_on is None
    assert milestone.is_slipping(dt.date(2026, 7, 1))


def test_only_the_grant_plan_links_to_a_grant_line(owner):
    from performance.models import Grant

    grant = Grant.objects.create(
        kind="svd", year=2026, allocation=100, labour_allocation=60, non_labour_allocation=40
    )
    vru = services.plan_create(acting_user=None, kind=DeliveryPlan.Kind.VRU, year=2026)
    svd = services.plan_create(acting_user=None, kind=DeliveryPlan.Kind.SVD_GRANT, year=2026)
    base = {
        "title": "T",
        "owner": owner,
        "organisation": owner.organisation,
        "due_date": dt.date(2026, 6, 30),
    }
    with pytest.raises(ValidationError):
        services.milestone_save(
            acting_user=None, plan=vru, reference="V1", grant=grant, grant_category="labour", **base
        )
    with pytest.raises(ValidationError):
        services.milestone_save(acting_user=None, plan=svd, reference="S1", grant=grant, **base)
    saved = services.milestone_save(
        acting_user=None, plan=svd, reference="S1", grant=grant, grant_category="labour", **base
    )
    assert saved.grant == grant


def test_slipping_milestones_join_their_owners_action_digest(owner, make_user):
    from governance.services.reminders import action_digests_send

    owner.user = make_user(email="alex@example.org")
    owner.save()
    plan = services.plan_create(acting_user=None, kind=DeliveryPlan.Kind.VRU, year=2026)
    base = {"owner": owner, "organisation": owner.organisation}
    services.milestone_save(
        acting_user=None, plan=plan, reference="M1", title="Late one", due_date=dt.date(2026, 5, 1), **base
    )
    services.milestone_save(
        acting_user=None, plan=plan, reference="M2", title="Future one", due_date=dt.date(2026, 9, 1), **base
    )
    assert action_digests_send(today=dt.date(2026, 6, 1)) == 1
    body = mail.outbox[0].body
    assert "VRU Delivery Plan M1 (OVERDUE)" in body
    assert "Future one" not in body


def test_the_reference_data_holds_the_tors_five_hips_strategies_once():
    from django.core.management import call_command

    from duty.models import Strategy

    call_command("load_reference_data", stdout=None)
    call_command("load_reference_data", stdout=None)
    assert Strategy.objects.filter(kind=Strategy.Kind.HIPS).count() == 5
    assert Strategy.objects.filter(name__contains="Violence Against Women and Girls").exists()
