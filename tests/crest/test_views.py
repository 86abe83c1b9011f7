from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from crest import services
from crest.models import EvidenceFile, Recommendation
from governance.models import RAG, Action

from .factories import (
    ActionFactory,
    ApprovedTermsFactory,
    MeetingFactory,
    PersonFactory,
    ProgressEntryFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"]
READERS = {"vru_staff", "board_member", "administrator"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def rec():
    return RecommendationFactory(number="4.1", target_date=dt.date(2026, 10, 1))


@pytest.fixture
def evidence(rec, vru_staff):
    return services.recommendation_add_evidence_file(
        acting_user=vru_staff,
        recommendation=rec,
        title="Signed concordat",
        file=SimpleUploadedFile("concordat.pdf", PDF),
    )


READ_PAGES = ["/crest/", "/crest/4.1/", "/crest/export.csv", "/crest/export.xlsx"]
EDIT_PAGES = [
    "/crest/4.1/edit/",
    "/crest/4.1/progress/",
    "/crest/4.1/actions/",
    "/crest/4.1/evidence/",
    "/crest/4.1/achieved/",
    "/crest/upload/",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READ_PAGES)
def test_only_staff_board_members_and_administrators_read_the_tracker(request, client_for, rec, role, path):
    response = client_for(request.getfixturevalue(role)).get(path)
    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", EDIT_PAGES)
def test_only_vru_staff_reach_the_forms(request, client_for, rec, role, path):
    response = client_for(request.getfixturevalue(role)).get(path)
    assert response.status_code == (200 if role == "vru_staff" else 403)


@pytest.mark.parametrize("path", [*READ_PAGES, *EDIT_PAGES, "/crest/4.1/evidence/1/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, rec, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["board_member", "administrator", "subgroup_chair", "data_provider"])
def test_no_one_but_vru_staff_can_post_a_change(request, client_for, rec, role):
    client = client_for(request.getfixturevalue(role))
    response = client.post("/crest/4.1/progress/", {"date_0": "1", "date_1": "11", "date_2": "2026"})
    assert response.status_code == 403
    assert not rec.progress_entries.exists()


@pytest.mark.parametrize("role", ROLES)
def test_evidence_downloads_only_for_readers_and_as_an_attachment(request, client_for, evidence, role):
    response = client_for(request.getfixturevalue(role)).get(f"/crest/4.1/evidence/{evidence.pk}/")
    if role in READERS:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="concordat.pdf"')
        assert b"".join(response.streaming_content) == PDF
    else:
        assert response.status_code == 403


def test_evidence_of_another_recommendation_is_not_found_through_this_one(client_for, vru_staff, evidence):
    RecommendationFactory(number="4.2")
    assert client_for(vru_staff).get(f"/crest/4.2/evidence/{evidence.pk}/").status_code == 404


def test_the_public_list_shows_only_publishable_recommendations_without_owners(client, rec):
    hidden = RecommendationFactory(number="4.2", text="A recommendation not yet published.")
    rec.publishable = True
    rec.owner_person = PersonFactory(full_name="Priya Owner", email="priya@example.org")
    rec.save()
    response = client.get("/published/crest/")
    assert response.status_code == 200
    assert rec.text in response.text
    assert hidden.text not in response.text
    assert "Priya" not in response.text
    assert "priya@example.org" not in response.text
    assert rec.owner_organisation.name not in response.text


def test_the_tracker_marks_overdue_targets_and_shows_the_latest_progress(client_for, board_member, rec):
    ProgressEntryFactory(recommendation=rec, date=dt.date(2026, 8, 1), text="Older entry.")
    ProgressEntryFactory(recommendation=rec, date=dt.date(2026, 9, 1), text="Newest entry.", rag=RAG.RED)
    action = ActionFactory(due_date=dt.date(2026, 10, 1))
    rec.actions.add(action)
    html = client_for(board_member).get("/crest/").text
    assert "Newest entry." in html
    assert "Older entry." not in html
    assert "Overdue" in html
    assert "1 overdue" in html
    # Board members read; they are offered no way to change it.
    assert "Update from a spreadsheet" not in html


def test_the_cached_tracker_keeps_the_spreadsheet_link_to_those_who_edit(
    client_for, vru_staff, board_member, rec
):
    assert "Update from a spreadsheet" in client_for(vru_staff).get("/crest/").text
    assert "Update from a spreadsheet" not in client_for(board_member).get("/crest/").text


def test_the_tracker_filters_by_status_rag_and_owner(client_for, vru_staff, rec):
    other = RecommendationFactory(number="4.2", text="Disseminate a centralised message.", rag=RAG.RED)
    client = client_for(vru_staff)

    def numbers(query: str) -> list[str]:
        return [r.number for r in client.get(f"/crest/?{query}").context["recommendations"]]

    assert numbers("rag=red") == ["4.2"]
    assert numbers("rag=none") == ["4.1"]
    assert numbers("status=not_started") == ["4.1", "4.2"]
    assert numbers("status=achieved") == []
    assert numbers(f"organisation={other.owner_organisation.slug}") == ["4.2"]


def _populate(count):
    for i in range(count):
        rec = RecommendationFactory(number=f"5.{i}", owner_person=PersonFactory())
        ProgressEntryFactory(recommendation=rec)
        ProgressEntryFactory(recommendation=rec, date=dt.date(2026, 10, 1))
        rec.actions.add(ActionFactory(), ActionFactory(due_date=dt.date(2026, 1, 1)))


@pytest.mark.parametrize("count", [2, 50])
def test_the_tracker_takes_the_same_number_of_queries_whatever_its_size(
    client_for, board_member, django_assert_num_queries, count
):
    _populate(count)
    client = client_for(board_member)
    # The data's version (core.fragments); linked and overdue actions are counted in the
    # recommendations' query, not prefetched.
    with django_assert_num_queries(9):
        response = client.get("/crest/")
    assert len(response.context["recommendations"]) == count
    # Again, with the data unchanged: the filters and the table come from the cache (only the content
    # version is read), the same rows.
    with django_assert_num_queries(7):
        again = client.get("/crest/")
    assert again.text.count('<tr class="govuk-table__row">') == count + 1


def test_the_tracker_shows_progress_and_linked_actions_at_once_though_its_table_is_cached(
    client_for, vru_staff
):
    _populate(2)
    client = client_for(vru_staff)
    client.get("/crest/")
    rec = Recommendation.objects.order_by("number").first()
    assert rec is not None
    services.recommendation_record_progress(
        acting_user=vru_staff,
        recommendation=rec,
        date=dt.date(2026, 11, 1),
        text="Concordat signed.",
        rag="green",
    )
    assert "Concordat signed." in client.get("/crest/").text
    assert "2 overdue" not in client.get("/crest/").text
    rec.actions.add(ActionFactory(due_date=dt.date(2020, 1, 1)))
    assert "2 overdue" in client.get("/crest/").text


@pytest.mark.parametrize("count", [2, 50])
def test_the_csv_export_takes_the_same_number_of_queries_whatever_its_size(
    client_for, board_member, django_assert_num_queries, count
):
    _populate(count)
    client = client_for(board_member)
    with django_assert_num_queries(8):
        response = client.get("/crest/export.csv")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(body.strip().splitlines()) == count + 1


def test_the_detail_page_shows_progress_evidence_actions_and_history_to_staff(
    client_for, vru_staff, evidence
):
    rec = evidence.recommendation
    services.recommendation_record_progress(
        acting_user=vru_staff,
        recommendation=rec,
        date=dt.date(2026, 11, 1),
        text="Letters sent.",
        rag=RAG.AMBER,
    )
    action = ActionFactory(reference="SVRP-2026-07", due_date=dt.date(2026, 10, 1))
    services.recommendation_link_action(acting_user=vru_staff, recommendation=rec, action=action)
    html = client_for(vru_staff).get("/crest/4.1/").text
    assert "Letters sent." in html
    assert "Signed concordat" in html
    assert "SVRP-2026-07" in html
    assert "Overdue" in html
    assert "History of changes" in html
    assert "Linked actions: none → SVRP-2026-07" in html


def test_board_members_do_not_see_the_change_history(client_for, board_member, rec):
    assert "History of changes" not in client_for(board_member).get("/crest/4.1/").text


def test_staff_record_progress_through_the_form(client_for, vru_staff, rec):
    response = client_for(vru_staff).post(
        "/crest/4.1/progress/",
        {"date_0": "1", "date_1": "11", "date_2": "2026", "text": "Concordat drafted.", "rag": "amber"},
    )
    assert response.status_code == 302
    assert rec.progress_entries.get().text == "Concordat drafted."


def test_a_progress_entry_dated_in_the_future_is_refused_with_a_message(client_for, vru_staff, rec):
    response = client_for(vru_staff).post(
        "/crest/4.1/progress/",
        {"date_0": "1", "date_1": "12", "date_2": "2026", "text": "Concordat drafted.", "rag": "amber"},
    )
    assert response.status_code == 200
    assert "must be today or in the past" in response.text
    assert "govuk-error-summary" in response.text
    assert not rec.progress_entries.exists()


def test_staff_link_an_action_by_its_reference_and_an_unknown_one_is_named(client_for, vru_staff, rec):
    ActionFactory(reference="SVRP-2026-07")
    client = client_for(vru_staff)
    response = client.post("/crest/4.1/actions/", {"reference": "SVRP-2026-99"})
    assert "There is no action with the reference SVRP-2026-99." in response.text
    response = client.post("/crest/4.1/actions/", {"reference": "svrp-2026-07"})
    assert response.status_code == 302
    assert [a.reference for a in rec.actions.all()] == ["SVRP-2026-07"]
    client.post("/crest/4.1/actions/SVRP-2026-07/unlink/")
    assert not rec.actions.exists()
    assert Action.objects.filter(reference="SVRP-2026-07").exists()


def test_staff_edit_a_recommendation_and_a_missing_reason_is_shown_on_the_form(client_for, vru_staff, rec):
    client = client_for(vru_staff)
    data = {
        "text": rec.text,
        "owner_organisation": rec.owner_organisation.pk,
        "response": "not_accepted",
        "response_reason": "",
        "status": "in_progress",
        "rag": "red",
        "target_date_0": "31",
        "target_date_1": "3",
        "target_date_2": "2027",
    }
    response = client.post("/crest/4.1/edit/", data)
    assert "Give the reason" in response.text
    rec.refresh_from_db()
    assert rec.response == Recommendation.Response.ACCEPTED
    response = client.post(
        "/crest/4.1/edit/", {**data, "response_reason": "Not ours to deliver.", "publishable": "on"}
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.response, rec.rag, rec.target_date, rec.publishable) == (
        "not_accepted",
        "red",
        dt.date(2027, 3, 31),
        True,
    )


def test_the_edit_form_does_not_offer_achieved(client_for, vru_staff, rec):
    form = client_for(vru_staff).get("/crest/4.1/edit/").context["form"]
    assert "achieved" not in [value for value, _label in form.fields["status"].choices]


def test_a_disguised_evidence_file_is_refused_on_the_form(client_for, vru_staff, rec):
    response = client_for(vru_staff).post(
        "/crest/4.1/evidence/",
        {"title": "Minutes", "file": SimpleUploadedFile("minutes.docx", b"MZ\x90\x00not a document")},
    )
    assert response.status_code == 200
    assert "is not in DOCX format, whatever its name says" in response.text
    assert not EvidenceFile.objects.exists()


def test_marking_achieved_through_the_form_without_evidence_says_why(client_for, vru_staff, rec):
    ApprovedTermsFactory()
    meeting = MeetingFactory()
    response = client_for(vru_staff).post(
        "/crest/4.1/achieved/",
        {
            "evidence": "",
            "meeting": meeting.pk,
            "achieved_on_0": "2",
            "achieved_on_1": "11",
            "achieved_on_2": "2026",
        },
    )
    assert response.status_code == 200
    assert "Describe the evidence of achievement" in response.text
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.NOT_STARTED


def test_marking_achieved_through_the_form_flags_the_terms(client_for, vru_staff, rec):
    terms = ApprovedTermsFactory(version="3.0")
    meeting = MeetingFactory()
    response = client_for(vru_staff).post(
        "/crest/4.1/achieved/",
        {
            "evidence": "Letters sent to every authority.",
            "meeting": meeting.pk,
            "achieved_on_0": "2",
            "achieved_on_1": "11",
            "achieved_on_2": "2026",
        },
        follow=True,
    )
    assert "flagged for revision" in response.text
    assert "Signed off at" in response.text
    terms.refresh_from_db()
    assert terms.revision_required
