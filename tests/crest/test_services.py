from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from crest import services
from crest.models import Recommendation
from governance.models import RAG, Meeting, TheoryOfChangeActivity

from .factories import (
    ActionFactory,
    ApprovedTermsFactory,
    MeetingFactory,
    RecommendationFactory,
    SourceReportFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def rec():
    return RecommendationFactory(number="4.1")


@pytest.fixture
def terms():
    return ApprovedTermsFactory(version="3.0")


def test_recording_progress_logs_it_and_sets_the_rating_and_status(vru_staff, rec):
    entry = services.recommendation_record_progress(
        acting_user=vru_staff, recommendation=rec, date=TODAY, text="Letters sent.", rag=RAG.GREEN
    )
    rec.refresh_from_db()
    assert entry.author == vru_staff
    assert rec.rag == RAG.GREEN
    assert rec.status == Recommendation.Status.IN_PROGRESS
    assert list(rec.progress_entries.values_list("text", flat=True)) == ["Letters sent."]


def test_achieving_without_evidence_is_refused_and_changes_nothing(vru_staff, rec, terms):
    meeting = MeetingFactory(date=dt.date(2026, 10, 15))
    with pytest.raises(ValidationError) as caught:
        services.recommendation_mark_achieved(acting_user=vru_staff, recommendation=rec, meeting=meeting)
    assert "evidence" in caught.value.message_dict
    rec.refresh_from_db()
    terms.refresh_from_db()
    assert rec.status == Recommendation.Status.NOT_STARTED
    assert not terms.revision_required


def test_achieving_needs_a_held_svrp_meeting_for_the_sign_off(vru_staff, rec, terms):
    future = MeetingFactory(date=dt.date(2027, 1, 20), status=Meeting.Status.SCHEDULED)
    for meeting in (None, future):
        with pytest.raises(ValidationError) as caught:
            services.recommendation_mark_achieved(
                acting_user=vru_staff, recommendation=rec, meeting=meeting, evidence="Concordat sent."
            )
        assert "meeting" in caught.value.message_dict


def test_achieving_records_sign_off_and_flags_the_terms_of_reference(vru_staff, rec, terms):
    meeting = MeetingFactory(date=dt.date(2026, 10, 15))
    flagged = services.recommendation_mark_achieved(
        acting_user=vru_staff, recommendation=rec, meeting=meeting, evidence="Expectations letter agreed."
    )
    rec.refresh_from_db()
    terms.refresh_from_db()
    assert flagged == terms
    assert rec.status == Recommendation.Status.ACHIEVED
    assert rec.signed_off_at_meeting == meeting
    assert rec.signed_off_on == dt.date(2026, 10, 15)
    assert rec.achieved_on == TODAY
    assert terms.revision_required
    assert terms.revision_reason == f"Crest recommendation 4.1 achieved: {rec.text}"


def test_an_evidence_file_alone_is_enough_evidence(vru_staff, rec, terms):
    services.recommendation_add_evidence_file(
        acting_user=vru_staff,
        recommendation=rec,
        title="Signed concordat",
        file=SimpleUploadedFile("concordat.pdf", PDF, content_type="application/pdf"),
    )
    services.recommendation_mark_achieved(acting_user=vru_staff, recommendation=rec, meeting=MeetingFactory())
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.ACHIEVED


def test_two_achievements_both_appear_as_reasons(vru_staff, terms):
    meeting = MeetingFactory()
    for number in ("4.1", "4.2"):
        services.recommendation_mark_achieved(
            acting_user=vru_staff,
            recommendation=RecommendationFactory(number=number),
            meeting=meeting,
            evidence="Done.",
        )
    terms.refresh_from_db()
    assert terms.revision_reason.count("Crest recommendation") == 2
    assert "4.1 achieved" in terms.revision_reason
    assert "4.2 achieved" in terms.revision_reason


def test_status_cannot_be_set_to_achieved_by_an_ordinary_update(vru_staff, rec):
    with pytest.raises(ValidationError) as caught:
        services.recommendation_update(
            acting_user=vru_staff, recommendation=rec, status=Recommendation.Status.ACHIEVED
        )
    assert "status" in caught.value.message_dict


def test_a_response_other_than_accepted_needs_a_reason(vru_staff, rec):
    with pytest.raises(ValidationError):
        services.recommendation_update(
            acting_user=vru_staff, recommendation=rec, response=Recommendation.Response.NOT_ACCEPTED
        )
    services.recommendation_update(
        acting_user=vru_staff,
        recommendation=rec,
        response=Recommendation.Response.PARTLY_ACCEPTED,
        response_reason="Only the local authorities can commit to this.",
    )
    rec.refresh_from_db()
    assert rec.response == Recommendation.Response.PARTLY_ACCEPTED


def test_the_database_refuses_a_missing_reason_and_a_repeated_number(rec):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=rec.pk).update(response=Recommendation.Response.NOT_ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(report=rec.report, number="4.1", text="Again.")
    # Another report may reuse the number.
    later = SourceReportFactory(short_name="Review 2025", title="Review", published_on=dt.date(2025, 6, 1))
    Recommendation.objects.create(report=later, number="4.1", text="Again.")


def test_the_database_refuses_achieved_without_sign_off(rec):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=rec.pk).update(status=Recommendation.Status.ACHIEVED)


def test_linking_an_action_twice_is_refused_and_the_link_is_in_the_history(vru_staff, rec):
    action = ActionFactory()
    services.recommendation_link_action(acting_user=vru_staff, recommendation=rec, action=action)
    with pytest.raises(ValidationError):
        services.recommendation_link_action(acting_user=vru_staff, recommendation=rec, action=action)
    assert list(rec.actions.all()) == [action]
    latest = rec.history.order_by("-history_date", "-history_id").first()
    assert [item.action_id for item in latest.actions.all()] == [action.pk]


def test_an_evidence_file_that_is_not_what_its_name_says_is_refused(vru_staff, rec):
    with pytest.raises(ValidationError) as caught:
        services.recommendation_add_evidence_file(
            acting_user=vru_staff,
            recommendation=rec,
            title="Not really a PDF",
            file=SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script></html>"),
        )
    assert "file" in caught.value.message_dict
    assert not rec.evidence_files.exists()


def test_the_reference_loader_adds_4_1_and_4_2_once_linked_to_activity_1_b(db):
    from django.core.management import call_command

    activity = TheoryOfChangeActivity.objects.create(
        code="1.b", kind="activity", title="Set clear expectations", description="…", order=2
    )
    call_command("load_reference_data")
    call_command("load_reference_data")
    recs = Recommendation.objects.order_by("number")
    assert [r.number for r in recs] == ["4.1", "4.2"]
    assert recs[0].text == (
        "Set expectations with all Specified Authorities on what they are expected to contribute to the Duty."
    )
    assert recs[1].report.author == "Crest Advisory"
    assert [list(r.toc_activities.all()) for r in recs] == [[activity], [activity]]


def test_the_terms_page_shows_the_flag_from_achievement_until_a_new_version_is_approved(
    vru_staff, administrator, client_for, rec, terms
):
    from governance.models import TermsOfReference
    from governance.services.registers import terms_of_reference_approve

    services.recommendation_mark_achieved(
        acting_user=vru_staff,
        recommendation=rec,
        meeting=MeetingFactory(group=terms.group, date=dt.date(2026, 10, 15)),
        evidence="Expectations letter agreed.",
    )
    client = client_for(vru_staff)
    assert "Revision required: Crest recommendation 4.1 achieved" in client.get("/terms-of-reference/").text

    revised = TermsOfReference.objects.create(group=terms.group, version="4.0")
    terms_of_reference_approve(acting_user=administrator, terms=revised, approved_on=TODAY)
    page = client.get("/terms-of-reference/").text
    assert "Revision required" not in page
    assert "4.0" in page
    terms.refresh_from_db()
    assert terms.status == TermsOfReference.Status.SUPERSEDED
