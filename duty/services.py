"""Every change to the Duty's records goes through these functions (pages, admin, tasks alike)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.authorship import ActingUser, author, stamp
from core.uploads import validate_upload
from governance.emails import site_url
from governance.models import Decision, Organisation, Reminder, TheoryOfChangeActivity
from governance.services.reminders import (
    Pending,
    Recipient,
    mail_builder,
    send_all,
    vru_staff_recipients,
)

from .models import (
    REVIEW_INTERVAL_DAYS,
    Chase,
    Concordat,
    DeliveryPlan,
    Dissemination,
    DutyDocument,
    Milestone,
    Priority,
    Strategy,
)

# VRU staff are reminded this many days before a document's review falls due.
REVIEW_NOTICE_DAYS = 30


def _save(obj: Any, acting_user: ActingUser) -> None:
    stamp(obj, acting_user)
    obj.full_clean()
    obj.save()


# --- Strategies ------------------------------------------------------------------------------------


def strategy_create(*, acting_user: ActingUser, name: str, kind: str, owner: str, url: str = "") -> Strategy:
    with transaction.atomic():
        strategy = Strategy(name=name.strip(), kind=kind, owner=owner.strip(), url=url)
        _save(strategy, acting_user)
    return strategy


# --- The Duty's documents --------------------------------------------------------------------------


def document_add(*, acting_user: ActingUser, kind: str, summary: str, file: Any) -> DutyDocument:
    """A new draft version of the needs assessment or the response strategy, numbered after the last."""
    try:
        file_type = validate_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    with transaction.atomic():
        # Locking the kind's versions keeps two uploads at once from taking the same number.
        last = (
            DutyDocument.objects.select_for_update().filter(kind=kind).aggregate(n=Max("version"))["n"] or 0
        )
        document = DutyDocument(
            kind=kind,
            version=last + 1,
            summary=summary.strip(),
            original_name=str(getattr(file, "name", ""))[-255:],
            file_type=file_type,
        )
        document.file = file
        _save(document, acting_user)
    return document


def document_approve(
    *,
    acting_user: ActingUser,
    document: DutyDocument,
    decision: Decision,
    review_due: dt.date | None = None,
) -> DutyDocument:
    """Approve a draft by the meeting's decision; its review falls a year after that meeting."""
    with transaction.atomic():
        locked = DutyDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == DutyDocument.Status.APPROVED:
            raise ValidationError(_("This version is already approved."))
        approved_on = decision.meeting.date
        locked.status = DutyDocument.Status.APPROVED
        locked.decision = decision
        locked.approved_on = approved_on
        locked.review_due = review_due or approved_on + dt.timedelta(days=REVIEW_INTERVAL_DAYS)
        _save(locked, acting_user)
    return locked


def priority_add(
    *,
    acting_user: ActingUser,
    document: DutyDocument,
    title: str,
    toc_activities: Iterable[TheoryOfChangeActivity] = (),
    strategies: Iterable[Strategy] = (),
) -> Priority:
    with transaction.atomic():
        locked = DutyDocument.objects.select_for_update().get(pk=document.pk)
        last = locked.priorities.aggregate(n=Max("number"))["n"] or 0
        priority = Priority(document=locked, number=last + 1, title=title.strip())
        _save(priority, acting_user)
        priority.toc_activities.set(list(toc_activities))
        priority.strategies.set(list(strategies))
    return priority


def review_reminders_send(*, today: dt.date) -> int:
    """Remind VRU staff once when a current document's review is near, and once more when overdue."""
    pending: list[Pending] = []
    recipients = vru_staff_recipients()
    for document in DutyDocument.objects.review_due_by(today + dt.timedelta(days=REVIEW_NOTICE_DAYS)):
        assert document.review_due is not None  # an approved version always has one
        overdue = document.review_overdue(today)
        kind = Reminder.Kind.DOCUMENT_REVIEW_OVERDUE if overdue else Reminder.Kind.DOCUMENT_REVIEW_DUE
        context = {"document": document, "overdue": overdue, "url": site_url("duty:documents")}
        for recipient in recipients:
            build = mail_builder("document_review", recipient, context)
            # Keyed on the review date: a new approval (a new date) starts the pair of reminders again.
            pending.append((kind, f"duty-document:{document.pk}", recipient, document.review_due, build))
    return send_all(pending)


# --- The concordat ---------------------------------------------------------------------------------


def concordat_add(*, acting_user: ActingUser, issued_on: dt.date, summary: str = "") -> Concordat:
    with transaction.atomic():
        last = Concordat.objects.select_for_update().aggregate(n=Max("version"))["n"] or 0
        concordat = Concordat(version=last + 1, issued_on=issued_on, summary=summary.strip())
        _save(concordat, acting_user)
    return concordat


def dissemination_record(
    *,
    acting_user: ActingUser,
    concordat: Concordat,
    area: Organisation,
    authority: Organisation,
    sent_on: dt.date,
    sent_to: str,
    email: str = "",
    acknowledged_on: dt.date | None = None,
) -> Dissemination:
    """Record (or correct) the sending of a concordat to an authority in an area."""
    from .selectors import concordat_areas, concordat_authorities

    if area not in concordat_areas():
        raise ValidationError({"area": _("Choose one of the fifteen local authority areas.")})
    if authority != area and authority not in concordat_authorities():
        raise ValidationError({"authority": _("Choose a specified authority.")})
    with transaction.atomic():
        dissemination = (
            Dissemination.objects.select_for_update()
            .filter(concordat=concordat, area=area, authority=authority)
            .first()
        ) or Dissemination(concordat=concordat, area=area, authority=authority)
        dissemination.sent_on = sent_on
        dissemination.sent_to = sent_to.strip()
        dissemination.email = email.strip()
        dissemination.acknowledged_on = acknowledged_on
        _save(dissemination, acting_user)
    return dissemination


def dissemination_acknowledge(
    *, acting_user: ActingUser, dissemination: Dissemination, acknowledged_on: dt.date
) -> Dissemination:
    with transaction.atomic():
        locked = Dissemination.objects.select_for_update().get(pk=dissemination.pk)
        locked.acknowledged_on = acknowledged_on
        _save(locked, acting_user)
    return locked


def concordat_chase(*, acting_user: ActingUser, concordat: Concordat) -> Chase:
    """Ask for one chase of every outstanding acknowledgement; the e-mails go from a Celery task."""
    with transaction.atomic():
        outstanding = concordat.disseminations.filter(acknowledged_on__isnull=True).count()
        if outstanding == 0:
            raise ValidationError(_("Every authority has acknowledged this concordat."))
        chase = Chase.objects.create(
            concordat=concordat, requested_by=author(acting_user), outstanding=outstanding
        )
        outbox.enqueue("duty.send_chase", chase_id=chase.pk)
    return chase


def chase_send(*, chase_id: int) -> int:
    """Send the chase's e-mails: one per outstanding acknowledgement with an address, once per chase."""
    chase = Chase.objects.select_related("concordat").get(pk=chase_id)
    disseminations = (
        chase.concordat.disseminations.filter(acknowledged_on__isnull=True)
        .exclude(email="")
        .select_related("area", "authority")
        .order_by("pk")
    )
    pending: list[Pending] = []
    for dissemination in disseminations:
        recipient = Recipient(email=dissemination.email, name=dissemination.sent_to)
        context = {"dissemination": dissemination, "concordat": chase.concordat}
        build = mail_builder("concordat_chase", recipient, context)
        key = f"concordat-chase:{chase.pk}:{dissemination.pk}"
        pending.append(
            (Reminder.Kind.CONCORDAT_CHASE, key, recipient, timezone.localdate(chase.requested_at), build)
        )
    return send_all(pending)


# --- Delivery plans --------------------------------------------------------------------------------


def plan_create(*, acting_user: ActingUser, kind: str, year: int) -> DeliveryPlan:
    with transaction.atomic():
        plan = DeliveryPlan(kind=kind, year=year)
        _save(plan, acting_user)
    return plan


MILESTONE_FIELDS = (
    "reference",
    "title",
    "owner",
    "organisation",
    "due_date",
    "status",
    "completed_on",
    "rag",
    "grant",
    "grant_category",
)


def milestone_save(
    *,
    acting_user: ActingUser,
    plan: DeliveryPlan,
    milestone: Milestone | None = None,
    toc_activities: Iterable[TheoryOfChangeActivity] | None = None,
    **fields: Any,
) -> Milestone:
    """Add a milestone to a plan, or change one; completing it records the day, reopening clears it."""
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"milestone_save cannot set {sorted(unknown)}")
    with transaction.atomic():
        target = (
            Milestone.objects.select_for_update().get(pk=milestone.pk, plan=plan)
            if milestone is not None
            else Milestone(plan=plan)
        )
        for name, value in fields.items():
            setattr(target, name, value)
        if target.status == Milestone.Status.COMPLETE and target.completed_on is None:
            target.completed_on = timezone.localdate()
        if target.status != Milestone.Status.COMPLETE:
            target.completed_on = None
        _save(target, acting_user)
        if toc_activities is not None:
            target.toc_activities.set(list(toc_activities))
    return target
