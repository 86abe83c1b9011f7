"""Importing the register from CSV or XLSX: one bad row and nothing is saved, and the row is named."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.models import Membership, Organisation, Person
from governance.resources import MembershipResource, OrganisationResource, PersonResource
from tests.governance.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipGroupFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

ORGANISATION_HEADERS = ["name", "slug", "short_name", "sector", "duty_status", "tor_description", "website"]


def organisations_dataset(*rows):
    return tablib.Dataset(*rows, headers=ORGANISATION_HEADERS)


def test_a_good_organisation_file_imports_every_row():
    result = OrganisationResource().import_data(
        organisations_dataset(
            ["Fareham Borough Council", "fareham", "", "local_authority", "specified", "", ""],
            ["Gosport Borough Council", "gosport", "", "local_authority", "specified", "", ""],
        ),
        dry_run=False,
        raise_errors=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert Organisation.objects.count() == 2


def test_an_organisation_file_with_one_bad_row_imports_nothing_and_names_the_row():
    result = OrganisationResource().import_data(
        organisations_dataset(
            ["Fareham Borough Council", "fareham", "", "local_authority", "specified", "", ""],
            ["Gosport Borough Council", "gosport", "", "local_authority", "sort of", "", ""],
            ["Havant Borough Council", "havant", "", "local_authority", "specified", "", ""],
        ),
        dry_run=False,
        raise_errors=False,
    )
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert "duty_status" in invalid.error_dict
    assert Organisation.objects.count() == 0


def test_a_membership_file_breaking_the_one_chair_rule_imports_nothing_and_names_the_row():
    svrp = PartnershipGroupFactory(short_name="SVRP")
    MembershipFactory(group=svrp, role="chair", start_date=dt.date(2025, 4, 1))
    alice, bob = PersonFactory(), PersonFactory()
    for person in (alice, bob):
        SeatFactory(group=svrp, organisation=person.organisation, title=f"Seat of {person}")
    dataset = tablib.Dataset(
        ["", alice.pk, "SVRP", alice.organisation.name, "member", f"Seat of {alice}", "2026-04-01", ""],
        ["", bob.pk, "SVRP", bob.organisation.name, "chair", f"Seat of {bob}", "2026-04-01", ""],
        headers=["id", "person", "group", "organisation", "role", "seat", "start_date", "end_date"],
    )
    result = MembershipResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert "one chair at a time" in str(invalid.error_dict["role"])
    assert Membership.objects.count() == 1


def test_a_person_file_naming_an_unknown_organisation_imports_nothing_and_names_the_row():
    council = OrganisationFactory(name="Eastleigh Borough Council")
    dataset = tablib.Dataset(
        ["", "Ann Other", "Officer", "ann@example.org", "", council.name],
        ["", "Ben Other", "Officer", "ben@example.org", "", "No Such Council"],
        headers=["id", "full_name", "job_title", "email", "phone", "organisation"],
    )
    result = PersonResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert "No Such Council" in str(invalid.error_dict["organisation"])
    assert Person.objects.count() == 0


def test_the_admin_import_shows_the_bad_row_and_saves_nothing(client_for, administrator):
    csv = (
        ",".join(ORGANISATION_HEADERS)
        + "\nFareham Borough Council,fareham,,local_authority,specified,,"
        + "\nGosport Borough Council,gosport,,council,specified,,\n"
    )
    client = client_for(administrator)
    page = client.get("/admin/governance/organisation/import/")
    formats = page.context["form"].fields["format"].choices
    csv_choice = next(value for value, label in formats if str(label).lower() == "csv")
    response = client.post(
        "/admin/governance/organisation/import/",
        {
            "resource": "0",
            "format": csv_choice,
            "import_file": SimpleUploadedFile("organisations.csv", csv.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    html = response.text
    assert "Some rows failed to validate" in html
    assert "Value &#x27;council&#x27; is not a valid choice." in html
    # The "Row" column of the errors table names the second data row.
    assert re.search(r"<td>\s*2\s*</td>", html.split("Some rows failed to validate")[1])
    assert Organisation.objects.count() == 0
