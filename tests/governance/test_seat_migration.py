"""Migrations 0007 and 0008 turn the placeholder people into vacant seats and keep every real record.

The data is made as the reference loader and the demo made it before seats were records: a placeholder
person ("Vacant: …") holding each of the Terms of Reference's 36 SVRP seats from 31 January 2023, one
seat then filled by a real person (the placeholder's membership ended the day before), a real member
of a sub-group with no seat named, and the attendance of the real member at a meeting.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from governance.models import Attendance, Membership, Person, Seat
from governance.reference_registers import AGENCIES

BEFORE = [("governance", "0006_action_raised_on")]
SEATS_FROM = dt.date(2023, 1, 31)
FILLED_FROM = dt.date(2025, 1, 1)


def _old_data(apps) -> dict:  # type: ignore[no-untyped-def]
    Organisation = apps.get_model("governance", "Organisation")
    Group = apps.get_model("governance", "PartnershipGroup")
    Person = apps.get_model("governance", "Person")
    Membership = apps.get_model("governance", "Membership")
    Meeting = apps.get_model("governance", "Meeting")
    Attendance = apps.get_model("governance", "Attendance")
    svrp = Group.objects.create(name="SVRP board", short_name="SVRP", slug="svrp", kind="partnership")
    dawg = Group.objects.create(name="DAWG", short_name="DAWG", slug="dawg", kind="subgroup", parent=svrp)
    for agency in AGENCIES:
        organisation = Organisation.objects.create(
            name=agency.name,
            slug=agency.name.lower().replace(" ", "-")[:200],
            sector=agency.sector,
            duty_status=agency.duty_status,
        )
        for title in agency.seats:
            placeholder = Person.objects.create(
                full_name=f"Vacant: {title}", organisation=organisation, is_placeholder=True
            )
            Membership.objects.create(
                person=placeholder,
                group=svrp,
                organisation=organisation,
                role="chair" if title == "PCC (Chair)" else "member",
                seat=title,
                start_date=SEATS_FROM,
            )
    fire = Membership.objects.get(organisation__name__contains="Fire", seat="Assistant Director Operations")
    fire.end_date = FILLED_FROM - dt.timedelta(days=1)
    fire.save()
    tom = Person.objects.create(full_name="Tom Reid", organisation=fire.organisation)
    toms = Membership.objects.create(
        person=tom,
        group=svrp,
        organisation=fire.organisation,
        seat="Assistant Director Operations",
        start_date=FILLED_FROM,
    )
    analyst = Person.objects.create(full_name="Ana Lyst", organisation=fire.organisation)
    Membership.objects.create(
        person=analyst, group=dawg, organisation=fire.organisation, start_date=FILLED_FROM
    )
    meeting = Meeting.objects.create(group=svrp, date=dt.date(2025, 6, 10), status="held")
    Attendance.objects.create(
        meeting=meeting, person=tom, membership=toms, organisation=fire.organisation, status="present"
    )
    return {"tom": tom.pk, "analyst": analyst.pk}


@pytest.mark.django_db(transaction=True)
def test_placeholders_become_vacant_seats_and_every_real_record_stays():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = _old_data(executor.loader.project_state(BEFORE).apps)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    seats = Seat.objects.filter(group__short_name="SVRP")
    titles = [(s.organisation.name, s.title) for s in seats.select_related("organisation")]
    assert len(titles) == 36 == len(set(titles)), "every ToR seat once"
    assert {(a.name, t) for a in AGENCIES for t in a.seats} == set(titles)
    assert all(s.is_reference for s in seats)
    # No placeholder person or membership is left; the real ones keep their dates and roles.
    assert not Person.objects.filter(full_name__startswith="Vacant: ").exists()
    assert Membership.objects.count() == 2
    tom = Membership.objects.get(person_id=old["tom"])
    assert (tom.seat.title, tom.start_date, tom.end_date) == (
        "Assistant Director Operations",
        FILLED_FROM,
        None,
    )
    assert tom.group.short_name == "SVRP" and tom.organisation == tom.seat.organisation
    analyst = Membership.objects.get(person_id=old["analyst"])
    assert (analyst.seat.title, analyst.group.short_name) == ("Member", "DAWG")
    # The seat Tom fills is held from his start; before that it was vacant (nobody stood in).
    assert not Membership.objects.filter(seat=tom.seat, start_date__lt=FILLED_FROM).exists()
    # His attendance is linked to his seat.
    assert Attendance.objects.get(person_id=old["tom"]).seat == tom.seat
    # The database still refuses a second overlapping membership of one person in one group (the
    # SQLite triggers of 0003 survive the table rebuild; PostgreSQL's exclusion constraint stays).
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.bulk_create(
            [
                Membership(
                    person_id=old["tom"],
                    seat=tom.seat,
                    group=tom.group,
                    organisation=tom.organisation,
                    start_date=dt.date(2026, 1, 1),
                )
            ]
        )
