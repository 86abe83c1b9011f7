"""The data of 0007: seats from the membership strings, placeholder people gone (see 0007's note).

Apart from 0007 because PostgreSQL refuses the indexes and constraints 0007 adds at its end while this
migration's data changes are pending in the same transaction.
"""

from django.db import IntegrityError, migrations, transaction
from django.db.models import ProtectedError
from django.utils import timezone

ROLE_SEAT = {
    "chair": "Chair",
    "member": "Member",
    "deputy": "Member",
    "adviser": "Adviser",
    "secretariat": "Secretariat",
}


def _reference_order():
    """(authority name, seat title) -> position in the ToR, for the seats the ToR names."""
    from governance.reference_registers import AGENCIES

    order = {}
    for agency in AGENCIES:
        for title in agency.seats:
            order.setdefault((agency.name, title), len(order) + 1)
    return order


def _overlaps(a_start, a_end, b_start, b_end):
    far = a_start.replace(year=9999, month=12, day=31)
    return a_start <= (b_end or far) and b_start <= (a_end or far)


def seats_from_memberships(apps, schema_editor):
    Seat = apps.get_model("governance", "Seat")
    Membership = apps.get_model("governance", "Membership")
    Person = apps.get_model("governance", "Person")
    Attendance = apps.get_model("governance", "Attendance")
    reference = _reference_order()
    seats = {}
    holders = {}  # seat pk -> [(start, end)] of the tenures holding it

    def seat_for(group_id, organisation, title):
        key = (group_id, organisation.pk, title)
        if key not in seats:
            position = reference.get((organisation.name, title))
            seats[key] = Seat.objects.create(
                group_id=group_id,
                organisation=organisation,
                title=title,
                order=position or 1000,
                is_reference=position is not None,
                voting=True,
            )
        return seats[key]

    memberships = Membership.objects.select_related("person", "organisation").order_by("start_date", "pk")
    placeholders = set()
    for membership in memberships:
        title = (membership.seat_title or "").strip()
        organisation = membership.organisation
        if membership.person.is_placeholder:
            seat_for(membership.group_id, organisation, title or ROLE_SEAT.get(membership.role, "Member"))
            placeholders.add(membership.person_id)
            membership.delete()
            continue
        if not title and membership.role == "deputy":
            existing = [
                s for (g, o, _t), s in seats.items() if g == membership.group_id and o == organisation.pk
            ]
            seat = existing[0] if existing else seat_for(membership.group_id, organisation, "Member")
        else:
            base = title or ROLE_SEAT.get(membership.role, "Member")
            seat, number = seat_for(membership.group_id, organisation, base), 1
            if not title and membership.role != "deputy":
                # Two people without a named seat at once: each gets a seat of their own.
                while any(
                    _overlaps(membership.start_date, membership.end_date, s, e)
                    for s, e in holders.get(seat.pk, [])
                ):
                    number += 1
                    seat = seat_for(membership.group_id, organisation, f"{base} {number}")
        if membership.role != "deputy":
            holders.setdefault(seat.pk, []).append((membership.start_date, membership.end_date))
        membership.seat = seat
        membership.save(update_fields=["seat"])

    used = set()
    for row in (
        Attendance.objects.filter(membership__isnull=False).select_related("membership").order_by("pk")
    ):
        key = (row.meeting_id, row.membership.seat_id)
        if key in used:
            continue
        used.add(key)
        row.seat_id = row.membership.seat_id
        row.save(update_fields=["seat"])

    for person in Person.objects.filter(pk__in=placeholders):
        try:
            with transaction.atomic():
                person.delete()
        except (ProtectedError, IntegrityError):
            person.archived_at = timezone.now()
            person.save(update_fields=["archived_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0007_seats"),
    ]

    operations = [
        migrations.RunPython(seats_from_memberships, migrations.RunPython.noop),
    ]
