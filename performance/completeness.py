"""How complete a quarter's data returns are: the one place the rule is written.

A data return (``DataReturn``: one per period and data-source organisation) expects a figure for each
measure people enter whose data source is that organisation. A measure counts as reported once it has
a figure past draft (submitted or verified) for the period, in any area or age band; the return is
complete when every expected measure is reported, and late when it is not complete after the period's
deadline. The home panel of data providers (``selectors.measures_due``), the reminders and chasing
(``cycle``) and the returns page for VRU staff all read it from here, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Exists, Max, OuterRef
from django.utils.translation import gettext_lazy as _

from governance.models import Reminder
from governance.quarters import FinancialQuarter

from .models import DataReturn, Figure, Measure, Period

# What counts as reminding a data provider about a return (the opening notice is not a reminder).
REMINDER_KINDS = (Reminder.Kind.FIGURES_DUE, Reminder.Kind.FIGURES_LATE)


@dataclass(frozen=True)
class MeasureProgress:
    measure: Measure
    started: bool  # any figure for the period, drafts included
    reported: bool  # a figure past draft: submitted or verified
    verified: bool  # reported, and none of its figures is still waiting to be verified


class ReturnStatus(StrEnum):
    COMPLETE = "complete"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    LATE = "late"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def tag_class(self) -> str:
        """The GOV.UK tag colour of the status."""
        return STATUS_TAGS[self]


STATUS_LABELS = {
    ReturnStatus.COMPLETE: _("Complete"),
    ReturnStatus.IN_PROGRESS: _("In progress"),
    ReturnStatus.NOT_STARTED: _("Not started"),
    ReturnStatus.LATE: _("Late"),
}
STATUS_TAGS = {
    ReturnStatus.COMPLETE: "govuk-tag--green",
    ReturnStatus.IN_PROGRESS: "govuk-tag--light-blue",
    ReturnStatus.NOT_STARTED: "govuk-tag--grey",
    ReturnStatus.LATE: "govuk-tag--red",
}


@dataclass(frozen=True)
class LastReminder:
    kind: str
    sent_at: dt.datetime

    @property
    def is_chase(self) -> bool:
        return self.kind == Reminder.Kind.FIGURES_LATE


@dataclass
class ReturnProgress:
    data_return: DataReturn
    measures: list[MeasureProgress] = field(default_factory=list)
    last_reminder: LastReminder | None = None

    @property
    def expected(self) -> int:
        return len(self.measures)

    @property
    def reported(self) -> int:
        return sum(1 for m in self.measures if m.reported)

    @property
    def verified(self) -> int:
        return sum(1 for m in self.measures if m.verified)

    @property
    def missing(self) -> list[Measure]:
        return [m.measure for m in self.measures if not m.reported]

    @property
    def is_complete(self) -> bool:
        return not self.missing

    def status(self, today: dt.date) -> ReturnStatus:
        if self.is_complete:
            return ReturnStatus.COMPLETE
        if today > self.data_return.period.deadline:
            return ReturnStatus.LATE
        if any(m.started for m in self.measures):
            return ReturnStatus.IN_PROGRESS
        return ReturnStatus.NOT_STARTED


def measure_progress(
    *, period: Period, organisation_ids: Iterable[int | None]
) -> dict[int, list[MeasureProgress]]:
    """Each organisation's expected measures (entered, current) with how far the period's figures
    have got, in the framework's order: 1 query."""
    figures = Figure.objects.filter(measure=OuterRef("pk"), period=period)
    found: dict[int, list[MeasureProgress]] = defaultdict(list)
    measures = (
        Measure.objects.entered()
        .filter(data_source__in=[pk for pk in organisation_ids if pk is not None])
        .annotate(
            any_figure=Exists(figures),
            any_verified=Exists(figures.filter(status=Figure.Status.VERIFIED)),
            any_submitted=Exists(figures.filter(status=Figure.Status.SUBMITTED)),
        )
        .order_by("order", "code")
    )
    for measure in measures:
        has_verified, has_submitted = measure.any_verified, measure.any_submitted  # type: ignore[attr-defined]
        found[measure.data_source_id].append(
            MeasureProgress(
                measure=measure,
                started=measure.any_figure,  # type: ignore[attr-defined]
                reported=has_verified or has_submitted,
                verified=has_verified and not has_submitted,
            )
        )
    return found


def returns_progress(period: Period, *, with_reminders: bool = False) -> list[ReturnProgress]:
    """The period's returns by organisation name, each with its measures' progress: 2 queries, and
    a third for the latest reminder or chase sent about each return when asked."""
    returns = list(
        period.returns.select_related("organisation", "period").order_by("organisation__name", "pk")
    )
    progress = measure_progress(period=period, organisation_ids=[r.organisation_id for r in returns])
    found = [ReturnProgress(r, progress.get(r.organisation_id, [])) for r in returns]
    if with_reminders and found:
        latest = last_reminders(r.data_return for r in found)
        for item in found:
            item.last_reminder = latest.get(item.data_return.reminder_key)
    return found


def last_reminders(returns: Iterable[DataReturn]) -> dict[str, LastReminder]:
    """The latest reminder or chase sent about each return, by its reminder key: 1 query."""
    rows = (
        Reminder.objects.sent()
        .filter(kind__in=REMINDER_KINDS, object_key__in=[r.reminder_key for r in returns])
        .values("object_key", "kind")
        .annotate(last=Max("sent_at"))
        .order_by()
    )
    latest: dict[str, LastReminder] = {}
    for row in rows:
        current = latest.get(row["object_key"])
        if current is None or row["last"] > current.sent_at:
            latest[row["object_key"]] = LastReminder(row["kind"], row["last"])
    return latest


# The returns page (VRU staff) -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnRow:
    progress: ReturnProgress
    status: ReturnStatus


@dataclass
class ReturnsOverview:
    quarter: FinancialQuarter
    period: Period | None
    rows: list[ReturnRow]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def summary(self) -> list[tuple[ReturnStatus, int]]:
        """How many returns have each status, in the order staff act on them; empty ones left out."""
        order = (ReturnStatus.LATE, ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.COMPLETE)
        return [(status, n) for status in order if (n := self.count(status))]


def returns_quarters(current: FinancialQuarter) -> list[FinancialQuarter]:
    """The quarters the returns page offers, newest first: the collection quarter and every quarter
    that expected returns (1 query)."""
    opened = Period.objects.filter(Exists(DataReturn.objects.filter(period=OuterRef("pk"))))
    found = {FinancialQuarter(year, quarter) for year, quarter in opened.values_list("year", "quarter")}
    return sorted(found | {current}, reverse=True)


def returns_overview(*, quarter: FinancialQuarter, today: dt.date) -> ReturnsOverview:
    """Every return the quarter expects with its progress, status on ``today`` and latest reminder:
    4 queries however many organisations, measures, figures and reminders there are."""
    period = Period.objects.for_quarter(quarter).first()
    if period is None:
        return ReturnsOverview(quarter, None, [])
    rows = [ReturnRow(p, p.status(today)) for p in returns_progress(period, with_reminders=True)]
    return ReturnsOverview(quarter, period, rows)
