"""Writes for meetings: scheduling, agenda, papers, attendance, declarations, updates, minutes, decisions.

Every function is keyword-only, takes the acting user, runs in one transaction and validates with
``full_clean()`` so the form, the admin and demo data get the same rules and the same messages.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.authorship import ActingUser, author, stamp
from core.uploads import validate_upload

from ..models import (
    AgendaItem,
    Attendance,
    Decision,
    DeclarationOfInterest,
    Meeting,
    Membership,
    MinuteEntry,
    Minutes,
    Organisation,
    Paper,
    PartnershipGroup,
    Person,
    Seat,
    SubgroupUpdate,
    svrp_lookup,
)

MEETING_FIELDS = ("group", "title", "date", "start_time", "end_time", "location", "online_link", "status")


@transaction.atomic
def meeting_schedule(
    *, acting_user: ActingUser, group: PartnershipGroup, date: dt.date, **fields: Any
) -> Meeting:
    """Create a meeting and build its attendance register from the seats and tenures on its date."""
    meeting = Meeting(group=group, date=date, **{k: v for k, v in fields.items() if k in MEETING_FIELDS})
    stamp(meeting, acting_user, new=True)
    meeting.full_clean()
    meeting.save()
    attendance_sync(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_update(*, acting_user: ActingUser, meeting: Meeting, **fields: Any) -> Meeting:
    old_date = Meeting.objects.values_list("date", flat=True).get(pk=meeting.pk)
    for name, value in fields.items():
        if name in MEETING_FIELDS:
            setattr(meeting, name, value)
    stamp(meeting, acting_user, new=False)
    meeting.full_clean()
    meeting.save()
    if meeting.date != old_date:
        attendance_sync(meeting=meeting)
    return meeting


def propose_quarterly_dates(last: dt.date, count: int = 4) -> list[dt.date]:
    """The same weekday in the same week of the month, three months on each time.

    "Meetings will be held quarterly" (ToR): a meeting on the second Tuesday of June proposes the
    second Tuesdays of September, December, March and June. Staff confirm or change each date.
    """
    week = (last.day - 1) // 7  # 0 = first such weekday of the month
    proposals = []
    year, month = last.year, last.month
    for _i in range(count):
        month += 3
        if month > 12:
            year, month = year + 1, month - 12
        first = dt.date(year, month, 1)
        offset = (last.weekday() - first.weekday()) % 7
        day = first + dt.timedelta(days=offset + 7 * week)
        if day.month != month:  # a fifth weekday that this month lacks: take the last one
            day -= dt.timedelta(days=7)
        proposals.append(day)
    return proposals


@transaction.atomic
def attendance_sync(*, meeting: Meeting) -> int:
    """The register of a meeting: one row per seat of its group in force on its date, naming the
    seat's holder on that date, or none when the seat is vacant. Returns the rows added.

    Called when a meeting is scheduled or moved and whenever a tenure changes (``membership_save``):
    a row not yet recorded follows the tenures (a member who left before the date gives way to the one
    who joined); a recorded row is a fact and stays as it is. Rows of seats no longer in force on the
    date go while nothing is recorded on them.
    """
    if meeting.status != Meeting.Status.SCHEDULED:
        return 0  # a held or cancelled meeting's register is the record
    seats = list(Seat.objects.in_force_on(meeting.date).filter(group_id=meeting.group_id))
    holders: dict[int, Membership] = {}
    for tenure in (
        Membership.objects.active_on(meeting.date)
        .holders()
        .filter(seat__in=seats)
        .order_by("start_date", "pk")
    ):
        holders.setdefault(tenure.seat_id, tenure)
    rows = {row.seat_id: row for row in meeting.attendance.filter(seat__isnull=False)}
    wanted = {seat.pk for seat in seats}
    unrecorded = Attendance.Status.EXPECTED
    stale = [row.pk for sid, row in rows.items() if sid not in wanted and row.status == unrecorded]
    moved = [
        row
        for sid, row in rows.items()
        if sid in wanted
        and row.status == unrecorded
        and row.person_id != getattr(holders.get(sid), "person_id", None)
    ]
    if stale:
        Attendance.objects.filter(pk__in=stale).delete()
    if moved:
        # Free the people first: a person who moved seat would otherwise be on two rows for a moment.
        Attendance.objects.filter(pk__in=[row.pk for row in moved]).update(person=None, membership=None)
        for row in moved:
            holder = holders.get(row.seat_id) if row.seat_id else None
            row.person_id = holder.person_id if holder else None
            row.membership = holder
            row.save(update_fields=["person", "membership", "modified"])
    # A legacy row for a member (before seats were records) stands for that member's seat.
    legacy = set(
        meeting.attendance.filter(seat__isnull=True, person__isnull=False).values_list("person_id", flat=True)
    )
    new = [
        Attendance(
            meeting=meeting,
            seat=seat,
            person_id=holders[seat.pk].person_id if seat.pk in holders else None,
            membership=holders.get(seat.pk),
            organisation_id=seat.organisation_id,
        )
        for seat in seats
        if seat.pk not in rows and not (seat.pk in holders and holders[seat.pk].person_id in legacy)
    ]
    if new:
        bulk_create_with_history(new, Attendance)
    return len(new)


def attendance_sync_group(*, group_id: int) -> None:
    """Bring the register of every meeting of a group not yet held into line with the tenures."""
    for meeting in Meeting.objects.filter(group_id=group_id, status=Meeting.Status.SCHEDULED):
        attendance_sync(meeting=meeting)


@transaction.atomic
def attendance_record(
    *,
    acting_user: ActingUser,
    attendance: Attendance,
    status: str,
    deputy_name: str = "",
    deputy: Person | None = None,
    note: str = "",
) -> Attendance:
    if status == Attendance.Status.GUEST and (attendance.person_id or attendance.seat_id):
        raise ValidationError({"status": _("A member of the group cannot be recorded as a guest.")})
    if status == Attendance.Status.PRESENT and attendance.seat_id and not attendance.person_id:
        raise ValidationError(
            {
                "status": _(
                    "Nobody held this seat on the meeting's date. If someone came for %(authority)s, "
                    "choose “Deputy sent” and enter their name."
                )
                % {"authority": attendance.organisation}
            }
        )
    if status == Attendance.Status.DEPUTY and not (deputy_name.strip() or deputy):
        raise ValidationError({"deputy_name": _("Enter the name of the deputy who came instead.")})
    attendance.status = status
    attendance.deputy = deputy if status == Attendance.Status.DEPUTY else None
    attendance.deputy_name = deputy_name.strip() if status == Attendance.Status.DEPUTY else ""
    attendance.note = note.strip()
    stamp(attendance, acting_user, new=False)
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def attendance_add_guest(
    *,
    acting_user: ActingUser,
    meeting: Meeting,
    guest_name: str,
    guest_organisation: str = "",
    authority: Organisation | None = None,
) -> Attendance:
    """Add someone not on the register. One who came for an authority (``authority``) credits it,
    as its member or deputy would (``Attendance.REPRESENTING``)."""
    if not guest_name.strip():
        raise ValidationError({"guest_name": _("Enter the guest's name.")})
    row = Attendance(
        meeting=meeting,
        status=Attendance.Status.GUEST,
        guest_name=guest_name.strip(),
        guest_organisation=guest_organisation.strip() or (authority.name if authority else ""),
        organisation=authority,
    )
    stamp(row, acting_user, new=True)
    row.full_clean()
    row.save()
    return row


def _agenda_open(meeting: Meeting) -> None:
    """The agenda follows the minutes' rule: once they are approved, the record is fixed."""
    status = Minutes.objects.filter(meeting_id=meeting.pk).values_list("status", flat=True).first()
    if status is not None and status != Minutes.Status.DRAFT:
        raise ValidationError(
            _("The minutes of this meeting are approved, so its agenda can no longer be changed.")
        )


@transaction.atomic
def agenda_item_add(
    *,
    acting_user: ActingUser,
    meeting: Meeting,
    title: str,
    presenter: Person | None = None,
    description: str = "",
) -> AgendaItem:
    """Add an item at the end of the agenda."""
    _agenda_open(meeting)
    last = meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0
    item = AgendaItem(
        meeting=meeting, order=last + 1, title=title.strip(), presenter=presenter, description=description
    )
    stamp(item, acting_user, new=True)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_update(
    *,
    acting_user: ActingUser,
    item: AgendaItem,
    title: str,
    presenter: Person | None = None,
    description: str = "",
) -> AgendaItem:
    _agenda_open(item.meeting)
    item.title, item.presenter, item.description = title.strip(), presenter, description
    stamp(item, acting_user, new=False)
    item.full_clean()
    item.save()
    return item


def agenda_item_blockers(item: AgendaItem) -> list[str]:
    """What refers to an item so that deleting it would lose part of the record (empty: it may go)."""
    blockers = []
    if item.minute_entries.exists():
        blockers.append(_("a minute is written against it"))
    if item.decisions.exists():
        blockers.append(_("a decision is recorded against it"))
    if item.declarations.exists():
        blockers.append(_("a declaration of interest names it"))
    return blockers


@transaction.atomic
def agenda_item_delete(*, acting_user: ActingUser, item: AgendaItem) -> None:
    """Remove an item and close the gap in the numbering.

    Refused while a minute, a decision or a declaration of interest refers to the item: deleting it
    would silently detach them from the record. Papers filed under it stay with the meeting, under no
    item.
    """
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _agenda_open(item.meeting)
    if blockers := agenda_item_blockers(item):
        raise ValidationError(
            _("“%(item)s” cannot be deleted because %(why)s. Change or remove that first.")
            % {"item": item.title, "why": _(" and ").join(blockers)}
        )
    meeting, order = item.meeting, item.order
    item._history_user = author(acting_user)  # type: ignore[attr-defined]
    item.delete()
    for later in meeting.agenda_items.filter(order__gt=order).order_by("order"):
        later.order -= 1
        stamp(later, acting_user, new=False)
        later.save(update_fields=["order"])


@transaction.atomic
def agenda_item_move(*, acting_user: ActingUser, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap an item with the one above (``direction="up"``) or below (``"down"``).

    The first item cannot go up nor the last down: asked to, nothing moves.
    """
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose to move the item up or down."))
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _agenda_open(item.meeting)
    siblings = item.meeting.agenda_items.select_for_update()
    neighbour = (
        siblings.filter(order__lt=item.order).order_by("-order").first()
        if direction == "up"
        else siblings.filter(order__gt=item.order).order_by("order").first()
    )
    if neighbour is None:
        return item
    # The two numbers are unique per meeting: park one on 0 (never a real position) while they swap.
    AgendaItem.objects.filter(pk=item.pk).update(order=0)
    item.order, neighbour.order = neighbour.order, item.order
    for moved in (neighbour, item):
        stamp(moved, acting_user, new=False)
        moved.save(update_fields=["order"])
    return item


@transaction.atomic
def paper_add(
    *,
    acting_user: ActingUser,
    meeting: Meeting,
    title: str,
    upload: UploadedFile,
    agenda_item: AgendaItem | None = None,
    confidential: bool = False,
) -> Paper:
    try:
        kind = validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item on this meeting's agenda.")})
    paper = Paper(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        original_name=(upload.name or "")[:255],
        file_type=kind,
        size=upload.size or 0,
        confidential=confidential,
    )
    stamp(paper, acting_user, new=True)
    paper.file.save(upload.name or f"paper.{kind}", upload, save=False)
    try:  # if the database refuses the row, the stored file must not linger
        paper.full_clean()
        paper.save()
    except Exception:
        paper.file.delete(save=False)
        raise
    return paper


@transaction.atomic
def declaration_add(
    *,
    acting_user: ActingUser,
    meeting: Meeting,
    person: Person,
    interest: str,
    agenda_item: AgendaItem | None = None,
    action_taken: str = "",
) -> DeclarationOfInterest:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item on this meeting's agenda.")})
    declaration = DeclarationOfInterest(
        meeting=meeting, person=person, interest=interest, agenda_item=agenda_item, action_taken=action_taken
    )
    stamp(declaration, acting_user, new=True)
    declaration.full_clean()
    declaration.save()
    return declaration


def next_svrp_meeting(today: dt.date | None = None) -> Meeting | None:
    """The SVRP meeting sub-group updates are due for: the next scheduled partnership meeting."""
    return (
        Meeting.objects.upcoming(today or timezone.localdate())
        .filter(svrp_lookup("group__"))
        .select_related("group")
        .first()
    )


@transaction.atomic
def subgroup_update_submit(
    *,
    acting_user: ActingUser,
    group: PartnershipGroup,
    meeting: Meeting,
    summary: str,
    rag: str,
    escalations: str = "",
) -> SubgroupUpdate:
    """Submit (or revise, until the meeting) a sub-group's update for an SVRP meeting."""
    if group.kind != PartnershipGroup.Kind.SUBGROUP:
        raise ValidationError(_("Only sub-groups submit updates."))
    update = SubgroupUpdate.objects.select_for_update().filter(group=group, meeting=meeting).first()
    new = update is None
    if update is None:
        update = SubgroupUpdate(group=group, meeting=meeting)
    update.summary, update.rag, update.escalations = summary, rag, escalations
    update.submitted_at = timezone.now()
    update.submitted_by = author(acting_user)
    stamp(update, acting_user, new=new)
    update.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError as error:  # two submissions at once: the other one won
        raise ValidationError(_("This update was submitted by someone else just now. Try again.")) from error
    return update


@transaction.atomic
def minutes_save(
    *, acting_user: ActingUser, meeting: Meeting, summary: str, entries: dict[int, str]
) -> Minutes:
    """Save draft minutes: one entry per agenda item (an empty text removes that entry)."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    created = minutes is None
    if minutes is None:
        minutes = Minutes(meeting=meeting)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Approved minutes cannot be changed."))
    minutes.summary = summary
    stamp(minutes, acting_user, new=created)
    minutes.full_clean()
    minutes.save()
    items = {item.pk: item for item in meeting.agenda_items.all()}
    current = {entry.agenda_item_id: entry for entry in minutes.entries.all()}
    for item_id, text in entries.items():
        if item_id not in items:
            raise ValidationError(_("Minutes can only be written against this meeting's agenda."))
        text = text.strip()
        entry = current.get(item_id)
        if not text:
            if entry is not None:
                entry.delete()
            continue
        if entry is None:
            entry = MinuteEntry(minutes=minutes, agenda_item=items[item_id])
        if entry.text != text:
            entry.text = text
            entry.full_clean()
            entry.save()
    return minutes


@transaction.atomic
def minutes_approve(
    *, acting_user: ActingUser, minutes: Minutes, approved_on: dt.date, approved_at_meeting: Meeting | None
) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("These minutes have already been approved."))
    if not minutes.meeting.has_happened:
        raise ValidationError(_("Minutes can be approved only after the meeting has taken place."))
    if approved_on < minutes.meeting.date:
        raise ValidationError({"approved_on": _("Minutes cannot be approved before the meeting took place.")})
    if approved_at_meeting is not None and approved_at_meeting.date < minutes.meeting.date:
        raise ValidationError(
            {"approved_at_meeting": _("Minutes are approved at this meeting or a later one.")}
        )
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_on = approved_on
    minutes.approved_at_meeting = approved_at_meeting
    stamp(minutes, acting_user, new=False)
    minutes.full_clean()
    minutes.save()
    return minutes


@transaction.atomic
def minutes_publish(*, acting_user: ActingUser, minutes: Minutes) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Only approved minutes can be published."))
    if not minutes.meeting.has_happened or minutes.meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Only the minutes of a meeting that has taken place can be published."))
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = timezone.now()
    stamp(minutes, acting_user, new=False)
    minutes.full_clean()
    minutes.save()
    meeting = minutes.meeting
    if meeting.status == Meeting.Status.SCHEDULED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "modified"])
    return minutes


def _next_reference(prefix: str, model: Any) -> str:
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    numbers = [
        int(m.group(1))
        for ref in model.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
        if (m := pattern.match(ref))
    ]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def save_with_reference(obj: Any, prefix: str, *, attempts: int = 5) -> None:
    """Give ``obj`` the next free reference under ``prefix`` and save it.

    Two people adding at the same moment may compute the same number: the unique constraint refuses
    the second, and we take the next number inside a savepoint rather than fail the user.
    """
    for _attempt in range(attempts):
        obj.reference = _next_reference(prefix, type(obj))
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            obj.pk = None
            continue
    raise ValidationError(_("Could not allocate a reference just now. Try again."))


@transaction.atomic
def decision_add(
    *, acting_user: ActingUser, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None
) -> Decision:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item on this meeting's agenda.")})
    decision = Decision(meeting=meeting, agenda_item=agenda_item, text=text, reference="pending")
    stamp(decision, acting_user, new=True)
    decision.full_clean(exclude=["reference"], validate_unique=False, validate_constraints=False)
    save_with_reference(decision, f"{meeting.group.short_name}-D-{meeting.date.year}-")
    return decision


def organisation_for_owner(owner: Person, day: dt.date) -> Organisation:
    membership = Membership.objects.active_on(day).filter(person=owner).order_by("start_date").first()
    return membership.organisation if membership else owner.organisation
