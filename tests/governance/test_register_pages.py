"""The register pages for each role, the published pages for anyone, exports and query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from governance.models import (
    Action,
    Attendance,
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    TermsOfReference,
    TheoryOfChangeActivity,
)
from governance.services.registers import terms_of_reference_flag_revision
from tests.governance.factories import OrganisationFactory, PartnershipGroupFactory, PersonFactory

pytestmark = pytest.mark.django_db

INTERNAL = [
    "/membership/",
    "/terms-of-reference/",
    "/theory-of-change/",
    "/organisations/portsmouth-city-council/",
]
PUBLISHED = ["/published/membership/", "/published/terms-of-reference/"]


@pytest.fixture
def reference():
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def named_member(reference):
    """A real person in Portsmouth's seat, with contact details."""
    seat = Seat.objects.get(organisation__name="Portsmouth City Council")
    person = Person.objects.create(
        full_name="Priya Patel",
        job_title="Director of Public Health",
        email="priya.patel@portsmouthcc.example.org",
        phone="023 9200 0000",
        organisation=seat.organisation,
    )
    Membership.objects.create(person=person, seat=seat, start_date=dt.date(2025, 4, 1))
    return person


@pytest.mark.parametrize("path", INTERNAL)
def test_anonymous_visitors_are_sent_to_sign_in_for_the_internal_register(client, reference, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "role", ["vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"]
)
@pytest.mark.parametrize("path", INTERNAL)
def test_every_signed_in_role_reads_the_register(request, client_for, reference, role, path):
    response = client_for(request.getfixturevalue(role)).get(path)
    assert response.status_code == 200


def test_the_register_lists_every_council_and_agency_with_its_status(client_for, board_member, reference):
    html = client_for(board_member).get("/membership/").text
    assert html.count("Representation from") >= 15
    for council in (
        "Isle of Wight Council",
        "Basingstoke and Deane Borough Council",
        "Hart District Council",
    ):
        assert council in html
    assert "Local Authorities" in html
    assert html.count("Specified authority") >= 15 + 5
    assert "Relevant authority" in html
    assert "No meetings yet" in html


@pytest.mark.parametrize(
    ("role", "sees_contacts"),
    [
        ("vru_staff", True),
        ("administrator", True),
        ("board_member", True),
        ("subgroup_chair", False),
        ("data_provider", False),
    ],
)
def test_contact_details_are_for_staff_administrators_and_board_members(
    request, client_for, named_member, role, sees_contacts
):
    client = client_for(request.getfixturevalue(role))
    html = client.get("/membership/").text
    assert "Priya Patel" in html
    assert ("priya.patel@portsmouthcc.example.org" in html) is sees_contacts
    assert ("023 9200 0000" in html) is sees_contacts
    exported = b"".join(client.get("/membership/export.csv").streaming_content).decode("utf-8-sig")
    assert ("priya.patel@portsmouthcc.example.org" in exported) is sees_contacts


def test_filters_narrow_the_register_to_a_sector_and_status(client_for, board_member, reference):
    html = client_for(board_member).get("/membership/?sector=prison&status=relevant").text
    assert "HMP Winchester" in html
    assert "Portsmouth City Council" not in html


def test_an_unknown_filter_value_is_named_on_the_form(client_for, board_member, reference):
    response = client_for(board_member).get("/membership/?sector=moon")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Select a valid choice" in response.text


def test_csv_and_xlsx_exports_have_the_same_columns_and_rows(client_for, vru_staff, named_member):
    client = client_for(vru_staff)
    response = client.get("/membership/export.csv?sector=local_authority")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(client.get("/membership/export.xlsx?sector=local_authority").getvalue()))
    xlsx_rows = [
        [("" if c is None else str(c)) for c in row] for row in book.active.iter_rows(values_only=True)
    ]
    assert rows[0] == xlsx_rows[0]
    assert rows[0][:3] == ["Authority group", "Authority", "Sector"]
    assert "Email" in rows[0]
    assert len(rows) == len(xlsx_rows) == 16
    priya = next(r for r in rows if "Priya Patel" in r)
    assert priya[1] == "Portsmouth City Council"
    assert "priya.patel@portsmouthcc.example.org" in priya


def test_organisation_page_shows_current_and_past_members(client_for, board_member, named_member):
    seat = Membership.objects.get(person=named_member)
    seat.end_date = dt.date(2024, 12, 31)
    seat.start_date = dt.date(2024, 1, 1)
    seat.save()
    html = client_for(board_member).get("/organisations/portsmouth-city-council/").text
    assert "Past members" in html
    assert "Priya Patel" in html
    assert "No one represents this organisation today." in html


@pytest.mark.parametrize(
    ("role", "sees_history"), [("vru_staff", True), ("administrator", True), ("board_member", False)]
)
def test_organisation_history_is_for_staff_and_administrators(
    request, client_for, reference, role, sees_history
):
    council = Organisation.objects.get(slug="portsmouth-city-council")
    council.website = "https://www.portsmouth.gov.uk/"
    council.save()
    html = client_for(request.getfixturevalue(role)).get("/organisations/portsmouth-city-council/").text
    assert ("Change history" in html) is sees_history
    assert ("website: – → https://www.portsmouth.gov.uk/" in html) is sees_history


def test_unknown_organisation_is_not_found(client_for, board_member, reference):
    assert client_for(board_member).get("/organisations/no-such-council/").status_code == 404


def test_terms_of_reference_page_shows_sections_and_the_revision_warning(client_for, board_member, reference):
    client = client_for(board_member)
    html = client.get("/terms-of-reference/").text
    assert "Vision and mission" in html
    assert "Date not recorded in the source document." in html
    assert "Revision required" not in html
    terms_of_reference_flag_revision(acting_user=None, reason="Crest recommendation 4.1 achieved.")
    html = client.get("/terms-of-reference/").text
    assert "Revision required: Crest recommendation 4.1 achieved." in html
    assert "govuk-notification-banner" in html


def test_theory_of_change_shows_the_actions_linked_to_an_activity(client_for, board_member, reference):
    activity = TheoryOfChangeActivity.objects.get(code="1.b")
    owner = PersonFactory()
    Action.objects.create(
        reference="SVRP-2026-01",
        description="Send the concordat to practitioners in every area.",
        owner=owner,
        organisation=owner.organisation,
        due_date=dt.date(2026, 6, 30),
        toc_activity=activity,
    )
    html = client_for(board_member).get("/theory-of-change/").text
    assert "SVRP-2026-01" in html
    assert "Send the concordat" in html
    assert html.count("Nothing links to this yet.") == 7


@pytest.mark.parametrize("path", PUBLISHED)
def test_published_pages_open_to_anyone(client, reference, path):
    assert client.get(path).status_code == 200


def test_published_membership_shows_seats_but_no_names_emails_or_phones(client, named_member):
    html = client.get("/published/membership/").text
    assert "Portsmouth City Council" in html
    assert "Representation from Portsmouth City Council" in html
    assert "Isle of Wight Council" in html
    assert "Priya Patel" not in html
    assert "Vacant:" not in html
    assert "@" not in html
    assert "023 9200 0000" not in html


def test_published_terms_of_reference_show_the_approved_version_without_the_internal_warning(
    client, reference
):
    terms_of_reference_flag_revision(acting_user=None, reason="Crest recommendation 4.1 achieved.")
    html = client.get("/published/terms-of-reference/").text
    assert "Our vision is for Hampshire, Isle of Wight, Portsmouth and Southampton" in html
    assert "Revision required" not in html
    assert TermsOfReference.objects.get().version in html


def build_register(people: int) -> None:
    """A register of ``people`` members across councils and agencies, with a held meeting."""
    svrp: Any = PartnershipGroupFactory(short_name="SVRP")
    organisations: list[Any] = [
        OrganisationFactory(sector=s) for s in ("local_authority", "police", "health", "prison")
    ]
    persons = Person.objects.bulk_create(
        Person(full_name=f"Person {i}", email=f"p{i}@example.org", organisation=organisations[i % 4])
        for i in range(people)
    )
    seats = Seat.objects.bulk_create(
        Seat(group=svrp, organisation=p.organisation, title=f"Seat {i}", order=i)
        for i, p in enumerate(persons)
    )
    memberships = Membership.objects.bulk_create(
        Membership(
            person=p,
            seat=seat,
            group=svrp,
            organisation=p.organisation,
            start_date=dt.date(2025, 4, 1),
        )
        for p, seat in zip(persons, seats, strict=True)
    )
    meeting = Meeting.objects.create(group=svrp, date=dt.date(2025, 6, 1), status="held")
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person=m.person,
            membership=m,
            seat_id=m.seat_id,
            organisation=m.organisation,
            status="present",
        )
        for m in memberships
    )


@pytest.mark.parametrize("people", [10, 1000])
def test_register_runs_the_same_number_of_queries_for_10_or_1000_people(
    client_for, vru_staff, django_assert_num_queries, people
):
    build_register(people)
    client = client_for(vru_staff)
    # Session and user, roles, the versions of the register and of its rates (one query,
    # core.fragments.cached_values), organisations, their seats with their tenures (groups and people
    # joined), attendance rates (a rate at all says a meeting was held: "any meeting held?" is not
    # asked), and the session's save (savepoint, update, release).
    with django_assert_num_queries(10):
        response = client.get("/membership/")
    assert response.text.count('<tr class="govuk-table__row">') >= people
    assert "100% (1 of 1 meeting)" in response.text
    # Again, with the data unchanged: the tables and rates come from the cache (their versions in one
    # query, no register queries), same rows.
    with django_assert_num_queries(7):
        again = client.get("/membership/")
    assert again.text.count('<tr class="govuk-table__row">') == response.text.count(
        '<tr class="govuk-table__row">'
    )


def test_the_register_shows_a_change_at_once_though_its_tables_are_cached(client_for, vru_staff):
    build_register(3)
    client = client_for(vru_staff)
    assert "Person 1" in client.get("/membership/").text
    person = Person.objects.get(full_name="Person 1")
    person.full_name = "Renamed Person"
    person.save()
    assert "Renamed Person" in client.get("/membership/").text
    # A membership ended today leaves tomorrow's register; one deleted leaves it now.
    Membership.objects.filter(person__full_name="Person 2").delete()
    assert "Person 2" not in client.get("/membership/").text
    # Contact details are cached apart: a viewer who may not see them does not get them from the cache.
    assert "p0@example.org" in client.get("/membership/").text


@pytest.mark.parametrize("people", [10, 1000])
def test_published_membership_runs_the_same_number_of_queries_for_10_or_1000_people(
    client, django_assert_num_queries, people
):
    build_register(people)
    # The SVRP, the organisations, their seats, the seats' tenures.
    with django_assert_num_queries(4):
        response = client.get("/published/membership/")
    assert response.text.count("<li>Seat ") == people


@pytest.mark.parametrize("people", [10, 1000])
def test_organisation_page_runs_the_same_number_of_queries_for_10_or_1000_people(
    client_for, vru_staff, django_assert_num_queries, people
):
    build_register(people)
    slug = Organisation.objects.get(sector="police").slug
    client = client_for(vru_staff)
    # Session and user, the organisation and its memberships, its vacant seats, roles, attendance rates,
    # meetings held, its history, its people's portal accounts, and the session's save: none of them
    # per member.
    with django_assert_num_queries(13):
        response = client.get(f"/organisations/{slug}/")
    assert response.status_code == 200


@pytest.mark.parametrize("people", [10, 1000])
def test_csv_export_runs_the_same_number_of_queries_for_10_or_1000_people(
    client_for, vru_staff, django_assert_num_queries, people
):
    build_register(people)
    client = client_for(vru_staff)
    # Session and user, roles, attendance rates, "any meeting held?", organisations, their seats with
    # their tenures (one query), the session's save: none of them per member.
    with django_assert_num_queries(10):
        response = client.get("/membership/export.csv")
        rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == people + 1
    assert PartnershipGroup.objects.count() == 1


def test_the_registers_rows_escape_what_people_typed_and_show_each_value(client_for, vru_staff):
    """The rows are built in one pass in Python (governance.views.registers.register_rows), not by a
    template per row: every value must still be escaped and shown."""
    build_register(2)
    person = Person.objects.get(full_name="Person 0")
    person.full_name = '<script>alert("x")</script>'
    person.job_title = "Head & Lead"
    person.phone = "023 8000 0000"
    person.save()
    text = client_for(vru_staff).get("/membership/").text
    assert "<script>alert" not in text and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert '<br><span class="govuk-body-s">Head &amp; Lead</span>' in text
    assert 'href="mailto:p0@example.org"' in text and "023 8000 0000" in text
    assert "Seat 0" in text and "100% (1 of 1 meeting)" in text
    assert "attendance-rate:" not in text
