"""What a newcomer sees after `make run`: the reference data and every app's demo data, together.

Runs the same commands in the same order as the Makefile (reference data, demo accounts, demo data)
and checks the pages and rows that the registers, meetings and Crest issues promise, and that the
demo loaders build on the reference data instead of adding a second copy of it.
"""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from crest.models import Recommendation
from governance.models import (
    Action,
    Attendance,
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    TheoryOfChangeActivity,
)
from governance.reference_registers import AGENCIES

from .tor import COUNCILS

pytestmark = pytest.mark.django_db

# The ToR's other agencies and their status under the Serious Violence Duty ("N/A" is neither).
OTHER_AGENCIES = {
    "Office of the Police and Crime Commissioner for Hampshire and Isle of Wight": "N/A",
    "Violence Reduction Unit": "N/A",
    "Hampshire and Isle of Wight Constabulary": "Specified authority",
    "Hampshire and Isle of Wight Fire and Rescue Service": "Specified authority",
    "Youth Justice Service": "Specified authority",
    "Hampshire and Isle of Wight Integrated Care Board": "Specified authority",
    "Probation Service": "Specified authority",
    "Education": "Relevant authority",
    "HMP Winchester": "Relevant authority",
    "Action Hampshire": "N/A",
}


@pytest.fixture
def made_run(settings, frozen_today):
    settings.DEMO_PASSWORD = "demo-password"
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    call_command("create_demo_accounts", force=True, stdout=out)
    call_command("load_demo_data", force=True, stdout=out)
    return frozen_today


def _rows(html: str) -> list[str]:
    """Each table row of a page as its text, tags stripped and spaces collapsed."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_the_register_lists_every_council_and_agency_of_the_terms_with_its_status(made_run, client):
    client.force_login(get_user_model().objects.get(username="board.member"))
    rows = _rows(client.get("/membership/").content.decode())
    for council in COUNCILS:
        assert any(row.startswith(f"{council} Specified authority") for row in rows), council
    for agency, status in OTHER_AGENCIES.items():
        assert any(row.startswith(f"{agency} {status}") for row in rows), agency
    public = client.get("/published/membership/").content.decode()
    assert "@" not in re.sub(r"<(script|link)[^>]*>", "", public)


def test_demo_data_adds_no_second_copy_of_the_reference_organisations_groups_or_seats(made_run):
    assert Organisation.objects.count() == len(AGENCIES)
    assert PartnershipGroup.objects.count() == 6
    svrp = PartnershipGroup.objects.get(short_name="SVRP")
    seats = list(Seat.objects.current().filter(group=svrp).values_list("organisation__name", "title"))
    assert len(seats) == len(set(seats)), "a ToR seat is there twice"
    assert Seat.objects.current().filter(group=svrp, is_reference=True).count() == 36
    holders = list(
        Membership.objects.current().holders().filter(group=svrp).values_list("seat_id", flat=True)
    )
    assert len(holders) == len(set(holders)), "a seat has two holders at once"
    # The demo's members fill the ToR's seats: the fire service's one seat is Tom Reid's, not vacant.
    fire_seat = Membership.objects.current().get(
        group=svrp, organisation__name="Hampshire and Isle of Wight Fire and Rescue Service"
    )
    assert fire_seat.seat.title == "Assistant Director Operations"
    assert fire_seat.seat.is_reference
    assert fire_seat.person.full_name == "Tom Reid (demo)"
    portsmouth = Membership.objects.current().get(group=svrp, organisation__name="Portsmouth City Council")
    assert portsmouth.person.user.username == "board.member"
    assert portsmouth.seat.title == "Representation from Portsmouth City Council"
    # ...and no person stands in for a vacant seat: before the demo member came, nobody held it.
    assert not Membership.objects.filter(seat=fire_seat.seat, start_date__lt=fire_seat.start_date).exists()


def test_demo_meetings_record_actions_on_toc_1b_and_crest_links_one_of_them(made_run, client):
    toc_1b = TheoryOfChangeActivity.objects.get(code="1.b")
    on_1b = Action.objects.filter(toc_activity=toc_1b, is_demo=True, meeting__is_demo=True)
    assert on_1b.count() >= 2
    client.force_login(get_user_model().objects.get(username="vru.staff"))
    page = client.get(f"/actions/?toc_activity={toc_1b.pk}").content.decode()
    assert all(action.reference in page for action in on_1b)

    for number in ("4.1", "4.2"):
        recommendation = Recommendation.objects.get(number=number)
        assert recommendation.progress_entries.count() == 2
        linked = list(recommendation.actions.all())
        assert len(linked) == 1
        assert linked[0].meeting is not None and linked[0].meeting.is_demo  # the meetings demo's action
        detail = client.get(f"/crest/{number}/").content.decode()
        assert linked[0].reference in detail
        # Owned by a person of the register (the VRU's demo member), not a person of Crest's own.
        assert recommendation.owner_person.full_name == "Val Staff (demo)"
        assert recommendation.owner_person.organisation == recommendation.owner_organisation
    assert not Person.objects.filter(full_name="Jordan Ellis (demo)").exists()
    assert not Action.objects.filter(reference="SVRP-DEMO-CREST").exists()


def test_every_held_demo_meeting_has_its_register_recorded(made_run):
    """An unrecorded register would count every authority as absent in the attendance rates."""
    held = Meeting.objects.filter(is_demo=True, status=Meeting.Status.HELD)
    assert held.filter(group__short_name="TVRP").exists()
    assert not Attendance.objects.filter(meeting__in=held, status=Attendance.Status.EXPECTED).exists()


def test_running_make_run_again_changes_nothing(made_run):
    counts = (
        Organisation.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        Meeting.objects.count(),
        Action.objects.count(),
    )
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo_data", force=True, stdout=io.StringIO())
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        Meeting.objects.count(),
        Action.objects.count(),
    ) == counts


def test_after_make_run_vru_staff_see_a_data_return_expected_from_each_data_source(made_run, client):
    from performance.cycle import source_organisations
    from performance.models import DataReturn

    sources = source_organisations()
    assert sources and DataReturn.objects.count() == len(sources)
    client.force_login(get_user_model().objects.get(username="vru.staff"))
    page = client.get("/performance/returns/").content.decode()
    for organisation in sources:
        assert organisation.name in page
    call_command("load_demo_data", force=True, stdout=io.StringIO())
    assert DataReturn.objects.count() == len(sources)  # as beat's daily task: never a second return


def test_the_home_office_report_reconciles_on_the_demo_data_for_every_quarter(made_run):
    out = io.StringIO()
    call_command("reconcile_report", "all", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) >= 4  # every quarter with a data-collection period, up to the last complete one
    assert all(line.endswith(": reconciled") for line in lines), out.getvalue()
