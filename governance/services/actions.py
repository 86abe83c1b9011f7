"""Writes for the action log: raise an action at a meeting, log dated updates until it is done."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.authorship import ActingUser, author, stamp

from ..models import Action, ActionUpdate, Meeting, Membership, Organisation, Person, TheoryOfChangeActivity
from .meetings import organisation_for_owner, save_with_reference

DONE_STATUSES = (Action.Status.COMPLETE, Action.Status.CLOSED)


def _check_owner(owner: Person, day: dt.date) -> None:
    if not Membership.objects.active_on(day).filter(person=owner).exists():
        raise ValidationError(
            {
                "owner": _("%(name)s is not a current member of any group: choose a current member.")
                % {"name": owner}
            }
        )


def _check_dates(meeting: Meeting, raised_on: dt.date, due_date: dt.date, today: dt.date) -> None:
    """The rule of an action's dates, for raising and for correcting one: raised at its meeting or
    agreed after it (a day agreed is never later than today), and due no earlier than raised."""
    errors: dict[str, str] = {}
    when = f"{meeting.date:%d %B %Y}"
    if raised_on < meeting.date:
        errors["raised_on"] = _(
            "An action is raised at its meeting or agreed after it: enter %(date)s or later."
        ) % {"date": when}
    elif raised_on != meeting.date and raised_on > today:
        errors["raised_on"] = _("The day an action was raised cannot be in the future.")
    if due_date < meeting.date:
        errors["due_date"] = _("The due date must be on or after the meeting that raised it (%(date)s).") % {
            "date": when
        }
    elif due_date < raised_on:
        errors["due_date"] = _("The due date must be on or after the day the action was raised.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_create(
    *,
    acting_user: ActingUser,
    meeting: Meeting,
    description: str,
    owner: Person,
    due_date: dt.date,
    organisation: Organisation | None = None,
    toc_activity: TheoryOfChangeActivity | None = None,
    is_demo: bool = False,
    today: dt.date | None = None,
    raised_on: dt.date | None = None,
) -> Action:
    """Raise an action at a meeting with the next reference, e.g. ``SVRP-2026-07``.

    It is raised on the meeting's date unless ``raised_on`` says otherwise (agreed between meetings):
    the report counts it in the quarter of that date, whenever the row was typed in.
    """
    today = today or timezone.localdate()
    raised_on = raised_on or meeting.date
    _check_owner(owner, today)
    _check_dates(meeting, raised_on, due_date, today)
    action = Action(
        reference="pending",
        meeting=meeting,
        description=description,
        owner=owner,
        organisation=organisation or organisation_for_owner(owner, today),
        due_date=due_date,
        raised_on=raised_on,
        toc_activity=toc_activity,
        is_demo=is_demo,
    )
    stamp(action, acting_user, new=True)
    action.full_clean(exclude=["reference"], validate_unique=False, validate_constraints=False)
    save_with_reference(action, f"{meeting.group.short_name}-{meeting.date.year}-")
    return action


@transaction.atomic
def action_edit(
    *,
    acting_user: ActingUser,
    action: Action,
    description: str,
    owner: Person,
    organisation: Organisation,
    due_date: dt.date,
    toc_activity: TheoryOfChangeActivity | None,
    raised_on: dt.date | None = None,
) -> Action:
    """Staff correct an action's details (status changes go through ``action_update``).

    ``raised_on`` None: raised at its meeting, on the meeting's date.
    """
    today = timezone.localdate()
    if owner.pk != action.owner_id:
        _check_owner(owner, today)
    if action.meeting is not None:
        raised_on = raised_on or action.meeting.date
        _check_dates(action.meeting, raised_on, due_date, today)
    action.description, action.owner, action.organisation = description, owner, organisation
    action.due_date, action.toc_activity = due_date, toc_activity
    action.raised_on = raised_on or action.raised_on
    stamp(action, acting_user, new=False)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(
    *,
    acting_user: ActingUser,
    action: Action,
    text: str,
    status: str,
    date: dt.date | None = None,
) -> ActionUpdate:
    """Log a dated update and move the action to the status it gives."""
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date of an update cannot be in the future.")})
    if not text.strip():
        raise ValidationError({"text": _("Enter what has happened.")})
    action = Action.objects.select_for_update().get(pk=action.pk)
    update = ActionUpdate(
        action=action, date=date, text=text.strip(), status=status, author=author(acting_user)
    )
    stamp(update, acting_user, new=True)
    update.full_clean()
    update.save()
    if action.status != status:
        action.status = status
        action.completed_on = date if status in DONE_STATUSES else None
    stamp(action, acting_user, new=False)
    action.full_clean()
    action.save()
    return update
