"""The figures half of the quarterly cycle, run by Celery beat (``performance.tasks``).

- Quarter start: the quarter that has just ended becomes the collection period (``Period``, with its
  deadline), and a ``DataReturn`` is expected from each organisation that is the data source of a
  measure people enter. Its data providers are told the period is open.
- Before the deadline (14 and 3 days before): data providers whose figures are still missing are
  reminded. After it (the day after, then weekly until the period is locked): they are chased, and VRU
  staff get one note naming the organisations that are late.
- The day after the deadline: the draft Home Office report is assembled and VRU staff are told it is
  ready for review.

Every e-mail goes through ``governance.services.reminders``: recorded once under a unique key on
(kind, object, recipient, date) and sent once. Reminder dates are the scheduled ones (not the day the
task ran), so a task that missed a day catches up with the latest reminder due and never sends two.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef

from core.roles import Role
from governance.emails import absolute, site_url
from governance.models import Organisation, Reminder
from governance.quarters import FinancialQuarter
from governance.services.reminders import (
    Pending,
    Recipient,
    mail_builder,
    reminders_record,
    send_all,
    vru_staff_recipients,
)

from .completeness import returns_progress
from .models import DataReturn, Measure, Period
from .selectors import collection_quarter

logger = logging.getLogger(__name__)

REMIND_DAYS_BEFORE = (14, 3)
CHASE_EVERY_DAYS = 7


@dataclass(frozen=True)
class LateReturn:
    data_return: DataReturn
    missing: list[Measure]


def _latest_due(points: list[dt.date], today: dt.date) -> dt.date | None:
    passed = [point for point in points if point <= today]
    return max(passed) if passed else None


def reminder_dates_before(period: Period) -> list[dt.date]:
    return [period.deadline - dt.timedelta(days=days) for days in REMIND_DAYS_BEFORE]


def chase_date(period: Period, today: dt.date) -> dt.date | None:
    """The day of the latest chase due by ``today``: the day after the deadline, then every week."""
    if today <= period.deadline:
        return None
    first = period.deadline + dt.timedelta(days=1)
    return first + dt.timedelta(days=CHASE_EVERY_DAYS * ((today - first).days // CHASE_EVERY_DAYS))


def source_organisations() -> list[Organisation]:
    """Organisations that are the data source of a measure people enter (not derived, not archived)."""
    sources = Measure.objects.entered().filter(data_source=OuterRef("pk"))
    return list(Organisation.objects.filter(Exists(sources)).order_by("name", "pk"))


def period_open(*, today: dt.date) -> tuple[Period, list[DataReturn]]:
    """Open the collection period of ``today`` and expect a return from each data source.

    Idempotent: a period or return that exists is kept as it is (staff may have moved the deadline).
    Returns the period and the returns created now.
    """
    quarter = collection_quarter(today)
    with transaction.atomic():
        period = Period.objects.for_quarter(quarter).first()
        if period is None:
            period = Period.for_fq(quarter)
            period.full_clean()
            period.save()
        existing = set(period.returns.values_list("organisation_id", flat=True))
        created = [
            DataReturn.objects.create(period=period, organisation=organisation)
            for organisation in source_organisations()
            if organisation.pk not in existing
        ]
    return period, created


def late_returns(period: Period) -> list[LateReturn]:
    """The period's returns with measures still missing a submitted or verified figure (2 queries).

    The rule is ``performance.completeness``'s, shared with the returns page and the home panel."""
    return [LateReturn(p.data_return, p.missing) for p in returns_progress(period) if p.missing]


def data_providers(organisation_ids: list[int]) -> dict[int, list[Recipient]]:
    """Active users in the Data provider group, by the organisation of their register entry."""
    users = (
        get_user_model()
        .objects.filter(
            groups__name=Role.DATA_PROVIDER.value,
            is_active=True,
            person__organisation_id__in=organisation_ids,
        )
        .exclude(email="")
        .select_related("person")
        .order_by("pk")
        .distinct()
    )
    found: dict[int, list[Recipient]] = defaultdict(list)
    for user in users:
        name = user.get_full_name() or user.person.full_name or user.get_username()
        found[user.person.organisation_id].append(Recipient(email=user.email, name=name, user_id=user.pk))
    return found


def _period_context(period: Period) -> dict[str, Any]:
    return {
        "period": period,
        "deadline": period.deadline,
        "submit_url": site_url("performance:submit"),
    }


def quarter_start(*, today: dt.date) -> int:
    """Open the period and tell each data source's providers what is expected and by when."""
    period, _created = period_open(today=today)
    if period.is_locked:
        return 0
    returns = list(period.returns.select_related("organisation").order_by("organisation__name", "pk"))
    providers = data_providers([r.organisation_id for r in returns])
    measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.entered().filter(data_source__in=[r.organisation_id for r in returns]):
        measures[measure.data_source_id].append(measure)
    opened_on = period.fq.next().start
    pending: list[Pending] = []
    for data_return in returns:
        context = {
            **_period_context(period),
            "organisation": data_return.organisation,
            "measures": measures[data_return.organisation_id],
        }
        for recipient in providers[data_return.organisation_id]:
            build = mail_builder(Reminder.Kind.PERIOD_OPENED, recipient, context)
            key = data_return.reminder_key
            pending.append((Reminder.Kind.PERIOD_OPENED, key, recipient, opened_on, build))
    return send_all(pending)


def figures_reminders_send(*, today: dt.date) -> int:
    """Before the deadline remind, after it chase, the providers of each return still incomplete;
    on each chase day tell VRU staff which organisations are late."""
    period = Period.objects.for_quarter(collection_quarter(today)).first()
    if period is None or period.is_locked:
        return 0
    chase_on = chase_date(period, today)
    remind_on = None if chase_on else _latest_due(reminder_dates_before(period), today)
    if chase_on is None and remind_on is None:
        return 0
    late = late_returns(period)
    providers = data_providers([item.data_return.organisation_id for item in late])
    kind = Reminder.Kind.FIGURES_LATE if chase_on else Reminder.Kind.FIGURES_DUE
    for_date = chase_on or remind_on
    assert for_date is not None  # noqa: S101 (one of the two is set, checked above)
    pending: list[Pending] = []
    for item in late:
        context = {
            **_period_context(period),
            "organisation": item.data_return.organisation,
            "missing": item.missing,
            "late": chase_on is not None,
        }
        for recipient in providers[item.data_return.organisation_id]:
            build = mail_builder(kind, recipient, context)
            pending.append((kind, item.data_return.reminder_key, recipient, for_date, build))
    if chase_on and late:
        context = {
            "period": period,
            "deadline": period.deadline,
            "late": late,
            "without_providers": [
                item.data_return.organisation
                for item in late
                if not providers[item.data_return.organisation_id]
            ],
            "figures_url": site_url("performance:verify"),
        }
        for recipient in vru_staff_recipients():
            build = mail_builder(Reminder.Kind.LATE_RETURNS, recipient, context)
            pending.append((Reminder.Kind.LATE_RETURNS, f"period:{period.slug}", recipient, chase_on, build))
    return send_all(pending)


def report_key(quarter: FinancialQuarter) -> str:
    return f"report:{quarter.slug}"


def draft_report_assemble(*, today: dt.date) -> bool:
    """After the collection period's deadline, assemble the draft report once and tell VRU staff.

    The report-ready reminders are the record that it was done. They are recorded for every member of
    VRU staff at once (one transaction) before any is sent, so a run that finds them knows the draft
    was assembled and only sends those still unsent (a retry after a failed send, or the next day's
    run). A run that failed before they were recorded assembles the draft again (drafts are
    regenerated whenever asked, so that is harmless). True when the draft was assembled now.
    """
    period = Period.objects.for_quarter(collection_quarter(today)).first()
    # A locked period's report is submitted: a new draft now would be an unasked-for correction.
    if period is None or today <= period.deadline or period.is_locked:
        return False
    quarter = period.fq
    key = report_key(quarter)
    told = Reminder.objects.filter(kind=Reminder.Kind.REPORT_READY, object_key=key)
    recorded = set(told.values_list("recipient", flat=True))
    unsent = set(told.pending().values_list("recipient", flat=True))
    if recorded and not unsent:
        return False
    assembled = not recorded
    if assembled:
        # The report is the reporting module's (performance.reporting); imported here so the cycle's
        # other tasks load without it.
        from performance.reporting import generate_draft

        generate_draft(quarter.year, quarter.quarter)
    context = {
        "period": period,
        "late": late_returns(period),
        "report_url": absolute(f"/reports/{quarter.slug}/"),  # DESIGN.md's address of a quarter's report
    }
    staff = vru_staff_recipients()
    if assembled and not staff:
        logger.warning("Draft report for %s assembled; no VRU staff with an e-mail to tell.", quarter)
    if not assembled:  # only those recorded and not yet sent: staff who joined since are not told
        staff = [r for r in staff if r.email.strip().lower() in unsent]
    ready_on = period.deadline + dt.timedelta(days=1)
    pending: list[Pending] = [
        (Reminder.Kind.REPORT_READY, key, r, ready_on, mail_builder(Reminder.Kind.REPORT_READY, r, context))
        for r in staff
    ]
    if assembled:
        reminders_record(pending)
    send_all(pending)
    return assembled
