"""Reads the Duty's pages share, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tags import coloured
from governance.models import DutyStatus, Organisation, Sector

from .models import Concordat, DeliveryPlan, Dissemination, Milestone


def concordat_areas() -> list[Organisation]:
    """The local authority areas the concordat goes to: the councils of the register."""
    return list(Organisation.objects.current().filter(sector=Sector.LOCAL_AUTHORITY).order_by("name"))


def concordat_authorities() -> list[Organisation]:
    """The specified authorities other than the councils (each area's own council is its own column)."""
    return list(
        Organisation.objects.current()
        .filter(duty_status=DutyStatus.SPECIFIED)
        .exclude(sector=Sector.LOCAL_AUTHORITY)
        .order_by("name")
    )


@coloured("concordat_state", {"acknowledged": "green", "sent": "yellow", "not_sent": "red"})
class CellState(models.TextChoices):
    """A cell of the concordat's grid: each is shown with its words, its colour only a second cue."""

    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    SENT = "sent", _("Sent, awaiting acknowledgement")
    NOT_SENT = "not_sent", _("Not sent")


@dataclass
class Cell:
    area: Organisation
    authority: Organisation
    dissemination: Dissemination | None

    @property
    def state(self) -> str:
        if self.dissemination is None:
            return CellState.NOT_SENT
        return CellState.ACKNOWLEDGED if self.dissemination.is_acknowledged else CellState.SENT


@dataclass
class Grid:
    concordat: Concordat
    columns: list[Organisation]
    rows: list[tuple[Organisation, list[Cell]]]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def outstanding(self) -> int:
        return self.counts.get(CellState.SENT, 0) + self.counts.get(CellState.NOT_SENT, 0)


def concordat_grid(concordat: Concordat) -> Grid:
    """Areas × authorities for one version: the first column is the area's own council."""
    areas = concordat_areas()
    authorities = concordat_authorities()
    sent = {
        (d.area_id, d.authority_id): d
        for d in concordat.disseminations.all()  # the grid's names come from the lists above
    }
    rows: list[tuple[Organisation, list[Cell]]] = []
    counts: dict[str, int] = dict.fromkeys(CellState.values, 0)
    for area in areas:
        cells = [
            Cell(area, authority, sent.get((area.pk, authority.pk))) for authority in [area, *authorities]
        ]
        for cell in cells:
            counts[cell.state] += 1
        rows.append((area, cells))
    return Grid(concordat=concordat, columns=authorities, rows=rows, counts=counts)


def current_concordat() -> Concordat | None:
    return Concordat.objects.order_by("-version").first()


def concordat_progress() -> tuple[Concordat, int, int] | None:
    """The latest version, its acknowledgements and the number of cells of its grid (three queries)."""
    concordat = current_concordat()
    if concordat is None:
        return None
    cells = len(concordat_areas()) * (1 + len(concordat_authorities()))
    acknowledged = concordat.disseminations.filter(acknowledged_on__isnull=False).count()
    return concordat, acknowledged, cells


@dataclass
class PlanSummary:
    plan: DeliveryPlan
    milestones: list[Milestone]
    slipping: int
    complete: int
    by_rag: dict[str, int]


def plan_summaries(today: dt.date) -> list[PlanSummary]:
    """Each delivery plan with its milestones (three queries, whatever the number of plans)."""
    plans = list(DeliveryPlan.objects.order_by("-year", "kind"))
    milestones = (
        Milestone.objects.filter(plan__in=plans)
        .select_related("owner", "organisation", "grant")
        .prefetch_related("toc_activities")
        .order_by("due_date", "reference")
    )
    by_plan: dict[int, list[Milestone]] = {plan.pk: [] for plan in plans}
    for milestone in milestones:
        milestone.slipping = milestone.is_slipping(today)  # type: ignore[attr-defined]
        by_plan[milestone.plan_id].append(milestone)
    summaries = []
    for plan in plans:
        rows = by_plan[plan.pk]
        by_rag: dict[str, int] = {}
        for milestone in rows:
            by_rag[milestone.rag] = by_rag.get(milestone.rag, 0) + 1
        summaries.append(
            PlanSummary(
                plan=plan,
                milestones=rows,
                slipping=sum(1 for m in rows if m.is_slipping(today)),
                complete=sum(1 for m in rows if m.status == Milestone.Status.COMPLETE),
                by_rag=by_rag,
            )
        )
    return summaries
