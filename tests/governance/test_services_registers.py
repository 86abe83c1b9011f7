"""The registers' services: archiving, and approving and flagging the Terms of Reference."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from governance.models import Membership, TermsOfReference
from governance.services.registers import (
    organisation_archive,
    terms_of_reference_approve,
    terms_of_reference_flag_revision,
)
from tests.governance.factories import MembershipFactory, PartnershipGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def svrp():
    return PartnershipGroupFactory(short_name="SVRP")


@pytest.fixture
def approved(svrp):
    return TermsOfReference.objects.create(group=svrp, version="1.0", status="approved")


def test_the_crest_tracker_flags_the_current_approved_version_with_its_reason(approved, administrator):
    flagged = terms_of_reference_flag_revision(
        acting_user=administrator, reason="Crest recommendation 4.1 achieved."
    )
    assert flagged == approved
    approved.refresh_from_db()
    assert approved.revision_required
    assert approved.revision_reason == "Crest recommendation 4.1 achieved."
    assert approved.modified_by == administrator


def test_reasons_accumulate_until_a_new_version_is_approved(approved, administrator):
    terms_of_reference_flag_revision(acting_user=administrator, reason="Crest 4.1 achieved.")
    terms_of_reference_flag_revision(acting_user=administrator, reason="Crest 4.2 achieved.")
    terms_of_reference_flag_revision(acting_user=administrator, reason="Crest 4.2 achieved.")
    approved.refresh_from_db()
    assert approved.revision_reason.splitlines() == ["Crest 4.1 achieved.", "Crest 4.2 achieved."]


def test_flagging_without_an_approved_version_flags_nothing(svrp, administrator):
    draft = TermsOfReference.objects.create(group=svrp, version="0.1")
    assert terms_of_reference_flag_revision(acting_user=administrator, reason="Crest 4.1 achieved.") is None
    draft.refresh_from_db()
    assert not draft.revision_required


def test_a_subgroups_terms_are_never_flagged_for_the_svrps_revision(svrp, approved, administrator):
    tvrp = PartnershipGroupFactory(short_name="TVRP", kind="subgroup", parent=svrp, order=1)
    theirs = TermsOfReference.objects.create(group=tvrp, version="1.0", status="approved")
    terms_of_reference_flag_revision(acting_user=administrator, reason="Crest 4.1 achieved.")
    theirs.refresh_from_db()
    assert not theirs.revision_required


def test_approving_a_new_version_supersedes_the_old_and_clears_the_flag(svrp, approved, administrator):
    terms_of_reference_flag_revision(acting_user=administrator, reason="Crest 4.1 achieved.")
    draft = TermsOfReference.objects.create(group=svrp, version="1.1", summary_of_changes="4.1 reflected.")
    terms_of_reference_approve(acting_user=administrator, terms=draft, approved_on=dt.date(2026, 7, 1))
    approved.refresh_from_db()
    draft.refresh_from_db()
    assert approved.status == "superseded"
    assert (draft.status, draft.approved_on, draft.revision_required) == (
        "approved",
        dt.date(2026, 7, 1),
        False,
    )
    assert TermsOfReference.objects.filter(group=svrp, status="approved").get() == draft


def test_approving_needs_a_date(svrp, administrator):
    draft = TermsOfReference.objects.create(group=svrp, version="1.1")
    with pytest.raises(ValidationError) as refused:
        terms_of_reference_approve(acting_user=administrator, terms=draft, approved_on=None)  # type: ignore[arg-type]
    assert "approved_on" in refused.value.message_dict


@time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC))
def test_archiving_an_organisation_ends_its_memberships_and_keeps_them(administrator):
    membership = MembershipFactory(start_date=dt.date(2025, 4, 1))
    organisation = membership.organisation
    organisation_archive(acting_user=administrator, organisation=organisation)
    organisation.refresh_from_db()
    membership.refresh_from_db()
    assert organisation.is_archived
    assert membership.end_date == dt.date(2026, 4, 30)
    assert not Membership.objects.current().filter(organisation=organisation).exists()


@time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC))
def test_archiving_is_refused_while_a_membership_is_yet_to_start(administrator):
    membership = MembershipFactory(start_date=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError):
        organisation_archive(acting_user=administrator, organisation=membership.organisation)
    membership.organisation.refresh_from_db()
    assert not membership.organisation.is_archived
