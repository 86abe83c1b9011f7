"""Reminders: who is due which e-mail today, recorded once and sent once.

Every reminder is first inserted (a database unique key on kind, object, recipient and date) and
committed, then sent in its own transaction that locks the row, marks it sent and only then hands the
e-mail to the mail server, committing after. A task that runs twice, or is retried after a failure,
finds the row already sent and sends nothing; a send that failed rolls the mark back, and the task's
retry (with back-off) sends it. A database failure at any statement comes before the e-mail leaves, so
the retry cannot send it twice; only a COMMIT that fails after the mail server took the e-mail can
(the one case no database and mail server pair can close without a shared transaction).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core import hooks
from core.retry import RETRY
from core.roles import Role

from ..calendar import build_calendar
from ..emails import Attachment, build_email, site_url
from ..models import Action, Meeting, Membership, Minutes, PartnershipGroup, Person, Reminder, SubgroupUpdate

logger = logging.getLogger(__name__)

MEETING_NOTICE_DAYS = 7
SUBGROUP_UPDATE_NOTICE_DAYS = 14
MINUTES_CHASE_DAYS = 14
MINUTES_CHASE_UNTIL_DAYS = 120
ACTION_DIGEST_HORIZON_DAYS = 14


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    user_id: int | None = None


Builder = Callable[[], EmailMultiAlternatives]
Pending = tuple[str, str, Recipient, dt.date, Builder]  # kind, object key, recipient, date, e-mail


def _record(kind: str, object_key: str, recipient: Recipient, for_date: dt.date) -> Reminder:
    reminder, _created = Reminder.objects.get_or_create(
        kind=kind,
        object_key=object_key,
        recipient=recipient.email.strip().lower(),
        for_date=for_date,
        defaults={"user_id": recipient.user_id},
    )
    return reminder


def reminder_send(
    *,
    kind: str,
    object_key: str,
    recipient: Recipient,
    for_date: dt.date,
    build: Callable[[], EmailMultiAlternatives],
) -> bool:
    """Record the reminder, then send it unless it was already sent. True when sent now."""
    with transaction.atomic():
        reminder = _record(kind, object_key, recipient, for_date)
    if reminder.sent_at is not None:
        return False
    try:
        with transaction.atomic():
            # The lock makes two workers racing on the same reminder send it once between them.
            locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
            if locked.sent_at is not None:
                return False
            message = build()
            # Marked sent before the mail server is asked: if this statement fails, nothing was sent;
            # if the send fails, the rollback unmarks it. Marking it after the send left a window where
            # the mail had gone, the UPDATE failed and the retry sent it again.
            locked.sent_at = timezone.now()
            locked.attempts = F("attempts") + 1
            locked.last_error = ""
            locked.save(update_fields=["sent_at", "attempts", "last_error"])
            message.send()
    except Exception as exc:
        Reminder.objects.filter(pk=reminder.pk).update(attempts=F("attempts") + 1, last_error=str(exc)[:500])
        raise
    return True


def reminders_record(pending: Iterable[Pending]) -> None:
    """Record the reminders, all or none (one transaction), without sending them.

    For a step done once whose reminders are its record (the draft report's report-ready notes): a
    retry that finds some rows knows every recipient's row is there to be sent.
    """
    with transaction.atomic():
        for kind, key, recipient, for_date, _build in pending:
            _record(kind, key, recipient, for_date)


@dataclass(frozen=True)
class SendFailure:
    """One reminder that could not be sent: which, to whom, and why."""

    kind: str
    object_key: str
    recipient: str
    error: str

    @property
    def kind_label(self) -> str:
        return str(Reminder.Kind(self.kind).label) if self.kind in Reminder.Kind.values else self.kind


def send_all(pending: Iterable[Pending]) -> int:
    """Send each reminder in its own try: a failure is recorded on its row (``Reminder.last_error``),
    logged with its identity, and does not stop the others. Then the first failure is raised, so the
    task is retried if it may mend (``core.retry``); the retry sends only what was not sent.

    VRU staff are told (``_report_failures``) of the failures retrying will not mend: a refusal that is
    not the mail server's or the database's, or one that has used up its retries.
    """
    sent, failures, first = 0, [], None
    for kind, key, recipient, for_date, build in pending:
        try:
            sent += reminder_send(
                kind=kind, object_key=key, recipient=recipient, for_date=for_date, build=build
            )
        except Exception as exc:
            logger.warning("Reminder %s %s to %s failed: %s", kind, key, recipient.email, exc)
            first = first or exc
            mends = isinstance(exc, RETRY["autoretry_for"])
            if not mends or _retries_used_up(kind, key, recipient, for_date):
                failures.append(SendFailure(kind, key, recipient.email, str(exc)[:300]))
    if failures:
        _report_failures(failures)
    if first is not None:
        raise first
    return sent


def _retries_used_up(kind: str, key: str, recipient: Recipient, for_date: dt.date) -> bool:
    try:
        attempts = (
            Reminder.objects.filter(
                kind=kind, object_key=key, recipient=recipient.email.strip().lower(), for_date=for_date
            )
            .values_list("attempts", flat=True)
            .first()
        )
    except DatabaseError:
        return False  # the database is what failed: the retry will tell
    return (attempts or 0) > RETRY["max_retries"]


def _report_failures(failures: list[SendFailure]) -> None:
    """Tell VRU staff which e-mails could not be sent. Never raises: the run's own failure is the one
    that matters, and the mail server may be the cause of both."""
    kinds = sorted({failure.kind for failure in failures})
    if kinds == [Reminder.Kind.SEND_FAILURES]:
        return
    context = {"failures": failures, "reminders_url": site_url("admin:governance_reminder_changelist")}
    today = timezone.localdate()
    for recipient in vru_staff_recipients():
        try:
            reminder_send(
                kind=Reminder.Kind.SEND_FAILURES,
                object_key=f"send-failures:{'+'.join(kinds)}",
                recipient=recipient,
                for_date=today,
                build=mail_builder(Reminder.Kind.SEND_FAILURES, recipient, context),
            )
        except Exception:
            logger.exception("Could not tell %s about the reminders that failed", recipient.email)


def mail_builder(
    kind: str, recipient: Recipient, context: dict[str, Any], attachments: Iterable[Attachment] = ()
) -> Builder:
    """A deferred e-mail: built only when the reminder is sent (not when it was already sent)."""
    attachments = list(attachments)

    def build() -> EmailMultiAlternatives:
        return build_email(
            kind, to=[recipient.email], context={"recipient": recipient, **context}, attachments=attachments
        )

    return build


def person_recipient(person: Person) -> Recipient | None:
    user = person.user
    email = person.email or (user.email if user is not None else "")
    if not email or (user is not None and not user.is_active):
        return None
    return Recipient(email=email, name=person.full_name, user_id=person.user_id)


def vru_staff_recipients() -> list[Recipient]:
    users = (
        get_user_model()
        .objects.filter(groups__name=Role.VRU_STAFF.value, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    return [Recipient(email=u.email, name=u.get_full_name() or u.get_username(), user_id=u.pk) for u in users]


# --- Meetings: members a week before, with the pack and an invitation -------------------------------


def meeting_invitation(meeting: Meeting) -> bytes:
    """An iCalendar file with the one meeting (the meetings feed's own builder), for the attachment."""
    return build_calendar([meeting], name=str(meeting), site=settings.SITE_URL)


def meeting_reminders_send(*, today: dt.date) -> int:
    """Members of a meeting's group, once, in the week before it (or as soon as it is scheduled
    inside that week)."""
    meetings = (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            date__gt=today,
            date__lte=today + dt.timedelta(days=MEETING_NOTICE_DAYS),
        )
        .select_related("group")
        .order_by("date", "pk")
    )
    pending: list[Pending] = []
    for meeting in meetings:
        try:
            pending += _meeting_reminders(meeting)
        except DatabaseError:
            raise  # the database, not the meeting: the whole run is retried (core.retry)
        except Exception:
            # One bad meeting (a record from before a rule, a calendar that will not build) must not
            # stop the others' reminders: it is logged with its identity and the run carries on.
            logger.exception(
                "Meeting reminders for meeting %s (%s) could not be prepared", meeting.pk, meeting.date
            )
    return send_all(pending)


def _meeting_reminders(meeting: Meeting) -> list[Pending]:
    pending: list[Pending] = []
    members = (
        Membership.objects.active_on(meeting.date)
        .filter(group=meeting.group)
        .select_related("person__user")
        .order_by("person__full_name", "pk")
    )
    invitation = meeting_invitation(meeting)
    context = {
        "meeting": meeting,
        "meeting_url": site_url("governance:meeting", meeting.pk),
        "pack_url": site_url("governance:meeting_pack", meeting.pk),
    }
    seen: set[str] = set()
    for membership in members:
        recipient = person_recipient(membership.person)
        if recipient is None or recipient.email.lower() in seen:
            continue
        seen.add(recipient.email.lower())
        build = mail_builder(
            Reminder.Kind.MEETING,
            recipient,
            context,
            [(f"meeting-{meeting.pk}.ics", invitation, "text/calendar")],
        )
        pending.append((Reminder.Kind.MEETING, f"meeting:{meeting.pk}", recipient, meeting.date, build))
    return pending


# --- Sub-group chairs: their update before an SVRP meeting ----------------------------------------


def subgroup_update_reminders_send(*, today: dt.date) -> int:
    """Chairs of each sub-group without an update for a partnership meeting in the next fortnight."""
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        group__kind=PartnershipGroup.Kind.PARTNERSHIP,
        date__gte=today,
        date__lte=today + dt.timedelta(days=SUBGROUP_UPDATE_NOTICE_DAYS),
    ).order_by("date", "pk")
    subgroups = list(
        PartnershipGroup.objects.filter(
            kind=PartnershipGroup.Kind.SUBGROUP, archived_at__isnull=True
        ).order_by("order", "pk")
    )
    chairs = list(
        Membership.objects.active_on(today)
        .filter(group__in=subgroups, role=Membership.Role.CHAIR)
        .select_related("person__user")
        .order_by("pk")
    )
    pending: list[Pending] = []
    for meeting in meetings:
        done = set(
            SubgroupUpdate.objects.filter(meeting=meeting, submitted_at__isnull=False).values_list(
                "group_id", flat=True
            )
        )
        for group in subgroups:
            if group.pk in done:
                continue
            context = {
                "meeting": meeting,
                "group": group,
                "update_url": site_url("governance:update_submit", group.slug),
            }
            for chair in (c for c in chairs if c.group_id == group.pk):
                recipient = person_recipient(chair.person)
                if recipient is None:
                    continue
                build = mail_builder(Reminder.Kind.SUBGROUP_UPDATE, recipient, context)
                key = f"subgroup-update:{meeting.pk}:{group.slug}"
                pending.append((Reminder.Kind.SUBGROUP_UPDATE, key, recipient, meeting.date, build))
    return send_all(pending)


# --- VRU staff: minutes still not approved a fortnight after the meeting ---------------------------


def minutes_reminders_send(*, today: dt.date) -> int:
    """Every 14 days after a meeting whose minutes are missing, still draft, or approved but not yet
    published, remind VRU staff (for up to 120 days)."""
    meetings = (
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(
            date__lte=today - dt.timedelta(days=MINUTES_CHASE_DAYS),
            date__gte=today - dt.timedelta(days=MINUTES_CHASE_UNTIL_DAYS),
        )
        .filter(Q(minutes__isnull=True) | ~Q(minutes__status=Minutes.Status.PUBLISHED))
        .select_related("group", "minutes")
        .order_by("date", "pk")
    )
    staff = vru_staff_recipients()
    pending: list[Pending] = []
    for meeting in meetings:
        waited = (today - meeting.date).days
        due_on = meeting.date + dt.timedelta(days=MINUTES_CHASE_DAYS * (waited // MINUTES_CHASE_DAYS))
        context = {
            "meeting": meeting,
            "days": waited,
            "approved": getattr(meeting, "minutes", None) is not None
            and meeting.minutes.status == Minutes.Status.APPROVED,
            "minutes_url": site_url("governance:minutes_edit", meeting.pk),
        }
        for recipient in staff:
            build = mail_builder(Reminder.Kind.MINUTES_UNPUBLISHED, recipient, context)
            key = f"minutes:{meeting.pk}"
            pending.append((Reminder.Kind.MINUTES_UNPUBLISHED, key, recipient, due_on, build))
    return send_all(pending)


# --- Action owners: a weekly digest of what is due within a fortnight or overdue -------------------


@dataclass(frozen=True)
class DigestItem:
    """One line of an owner's weekly digest: an action, or what another app adds (``DIGEST_ITEMS``)."""

    reference: str
    description: str
    due_date: dt.date
    overdue: bool
    url: str
    kind: str = ""  # shown before the reference; empty for an action


def action_digests_send(*, today: dt.date) -> int:
    horizon = today + dt.timedelta(days=ACTION_DIGEST_HORIZON_DAYS)
    actions = (
        Action.objects.open()
        .filter(due_date__lte=horizon)
        .filter(owner__user__isnull=False, owner__user__is_active=True)
        .select_related("owner__user", "organisation")
        .order_by("owner_id", "due_date", "reference")
    )
    by_owner: dict[int, list[DigestItem]] = {}
    for action in actions.iterator(chunk_size=500):
        by_owner.setdefault(action.owner_id, []).append(
            DigestItem(
                reference=action.reference,
                description=action.description,
                due_date=action.due_date,
                overdue=action.due_date < today,
                url=site_url("governance:action_update", action.reference),
            )
        )
    for provider in hooks.get_hooks(hooks.DIGEST_ITEMS):
        for person_id, items in provider(today, horizon).items():
            by_owner.setdefault(person_id, []).extend(items)
    people = Person.objects.filter(pk__in=by_owner, user__isnull=False, user__is_active=True).select_related(
        "user"
    )
    pending: list[Pending] = []
    for person in people.order_by("pk"):
        recipient = person_recipient(person)
        if recipient is None:
            continue
        rows = sorted(by_owner[person.pk], key=lambda item: (item.due_date, item.reference))
        context = {
            "rows": rows,
            "overdue": sum(1 for row in rows if row.overdue),
            "mine_url": site_url("governance:actions_mine"),
        }
        build = mail_builder(Reminder.Kind.ACTION_DIGEST, recipient, context)
        pending.append((Reminder.Kind.ACTION_DIGEST, f"action-digest:{person.pk}", recipient, today, build))
    return send_all(pending)
