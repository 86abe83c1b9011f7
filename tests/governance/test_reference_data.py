"""``load_reference_data`` loads the registers exactly as the Terms of Reference sets them out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from governance.models import (
    DutyStatus,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    Sector,
    TermsOfReference,
    TermsOfReferenceSection,
    TheoryOfChangeActivity,
)

from .tor import COUNCILS

pytestmark = pytest.mark.django_db


# The ToR's distribution list: agency -> (sector, status).
AGENCIES = {
    "Office of the Police and Crime Commissioner for Hampshire and Isle of Wight": (Sector.OPCC, "none"),
    "Violence Reduction Unit": (Sector.VRU, "none"),
    "Hampshire and Isle of Wight Constabulary": (Sector.POLICE, "specified"),
    "Hampshire and Isle of Wight Fire and Rescue Service": (Sector.FIRE, "specified"),
    "Youth Justice Service": (Sector.YOUTH_JUSTICE, "specified"),
    "Hampshire and Isle of Wight Integrated Care Board": (Sector.HEALTH, "specified"),
    "Probation Service": (Sector.PROBATION, "specified"),
    "Education": (Sector.EDUCATION, "relevant"),
    "HMP Winchester": (Sector.PRISON, "relevant"),
    "Action Hampshire": (Sector.VOLUNTARY, "none"),
}


def load():
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def snapshot():
    models = (Organisation, Person, PartnershipGroup, Membership, TermsOfReference, TheoryOfChangeActivity)
    rows = {m.__name__: sorted(m.objects.values_list("pk", "modified")) for m in models}
    rows["history"] = [m.history.count() for m in models]  # type: ignore[attr-defined]
    rows["sections"] = sorted(TermsOfReferenceSection.objects.values_list("pk", "heading", "body"))
    return rows


def test_all_fifteen_councils_are_specified_local_authorities():
    load()
    councils = Organisation.objects.filter(sector=Sector.LOCAL_AUTHORITY)
    assert set(councils.values_list("name", flat=True)) == COUNCILS
    assert set(councils.values_list("duty_status", flat=True)) == {DutyStatus.SPECIFIED}
    assert all(o.display_group == "Local Authorities" for o in councils)


def test_every_other_agency_has_its_sector_and_status_as_in_the_terms_of_reference():
    load()
    found = {
        o.name: (o.sector, o.duty_status) for o in Organisation.objects.exclude(sector=Sector.LOCAL_AUTHORITY)
    }
    assert found == AGENCIES
    assert Organisation.objects.filter(is_reference=True).count() == 25


def test_the_seats_of_the_terms_are_records_of_their_own_vacant_until_someone_holds_them():
    load()
    svrp = PartnershipGroup.objects.get(short_name="SVRP")
    seats = Seat.objects.filter(group=svrp).select_related("organisation")
    assert seats.count() == 36
    assert all(seat.is_reference for seat in seats)
    # Nobody is invented to sit in them: no person, no tenure.
    assert not Person.objects.exists()
    assert not Membership.objects.exists()
    chair = seats.get(title="PCC (Chair)")
    assert chair.organisation.short_name == "OPCC"
    portsmouth = seats.get(organisation__name="Portsmouth City Council")
    assert portsmouth.title == "Representation from Portsmouth City Council"
    yjs = (
        seats.filter(organisation__name="Youth Justice Service")
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert list(yjs) == [
        "Southampton YJ Manager",
        "Portsmouth Head of Service and YJ Manager",
        "Hampshire and Isle of Wight Head of Service",
        "IOW YJ Manager",
    ]
    assert "NHS England Public Health Lead" in seats.filter(organisation__sector=Sector.HEALTH).values_list(
        "title", flat=True
    )


def test_the_svrp_and_its_five_subgroups_are_loaded_with_their_full_names():
    load()
    svrp = PartnershipGroup.objects.get(short_name="SVRP")
    assert svrp.acts_as_vru_core_group
    assert svrp.kind == PartnershipGroup.Kind.PARTNERSHIP
    subgroups = dict(svrp.subgroups.values_list("short_name", "name"))
    assert subgroups == {
        "TVRP": "Tactical Violence Reduction Partnership",
        "DAWG": "Data and Analysis Working Group",
        "Engagement": "Engagement Working Group",
        "Comms": "Communications Working Group",
        "IEO": "Interventions, Evaluations and Opportunities Working Group",
    }


def test_theory_of_change_has_activities_1a_to_1d_and_four_further_functions():
    load()
    codes = list(TheoryOfChangeActivity.objects.values_list("code", "kind"))
    assert codes == [
        ("1.a", "activity"),
        ("1.b", "activity"),
        ("1.c", "activity"),
        ("1.d", "activity"),
        ("F1", "function"),
        ("F2", "function"),
        ("F3", "function"),
        ("F4", "function"),
    ]
    sustainability = TheoryOfChangeActivity.objects.get(code="1.d")
    assert sustainability.description.startswith("Create a plan for sustainability")


def test_terms_of_reference_are_version_1_approved_with_the_documents_sections_verbatim():
    load()
    terms = TermsOfReference.objects.get()
    assert (terms.version, terms.status, terms.approved_on) == ("1.0", "approved", None)
    assert "approval date was not recorded in the source" in terms.summary_of_changes
    headings = list(terms.sections.values_list("heading", flat=True))
    assert headings == [
        "Distribution list and SVRP membership",
        "Introduction",
        "Vision and mission",
        "Aims and activities linked to the Theory of Change (ToC)",
        "Crest Advisory recommendations",
        "Outcomes Based Performance Framework",
        "Board member responsibilities",
        "Reporting relationships",
        "Meeting frequency and format",
        "Administration",
    ]
    vision = terms.sections.get(heading="Vision and mission").body
    assert vision.startswith("Our vision is for Hampshire, Isle of Wight, Portsmouth and Southampton to be")
    intro = terms.sections.get(heading="Introduction")
    assert "Strategic Needs Assessment (SNA)[2]" in intro.body
    assert "[5] Existing VRP sub-groups across HIPS are:" in intro.notes
    for section in terms.sections.all():
        assert "[bookmark" not in section.body
        assert "footnoteRef" not in section.body


def test_loading_twice_changes_nothing():
    load()
    before = snapshot()
    load()
    assert snapshot() == before


def test_an_administrators_edits_survive_a_second_load():
    load()
    council = Organisation.objects.get(name="Havant Borough Council")
    council.name = "Havant Borough Council (renamed)"
    council.duty_status = DutyStatus.RELEVANT
    council.save()
    seat = Seat.objects.get(organisation__name="Portsmouth City Council")
    real = Person.objects.create(full_name="Pat Smith", organisation=seat.organisation)
    Membership.objects.create(person=real, seat=seat, start_date=dt.date(2025, 4, 1))
    seat.title = "Portsmouth City Council's representative"
    seat.save()

    load()

    council.refresh_from_db()
    assert (council.name, council.duty_status) == ("Havant Borough Council (renamed)", "relevant")
    assert not Organisation.objects.filter(name="Havant Borough Council").exists()
    assert Membership.objects.filter(organisation__name="Portsmouth City Council").get().person == real
    # The renamed seat is the administrator's: no second Portsmouth seat comes back under the ToR's name.
    assert Seat.objects.filter(organisation__name="Portsmouth City Council").count() == 1
