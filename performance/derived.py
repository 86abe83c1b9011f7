"""Derived measures, computed from the portal's own records and never typed in.

- 2.1.1.a: distinct specified and relevant authorities represented (present, or through a deputy)
  at SVRP meetings held in the quarter, shown as "n of N" where N is every current specified and
  relevant authority. Apologies and absences do not count.
- 2.2.1.a: ratings of good or full understanding as a percentage of all ratings in the quarter's
  survey round, with the number of responses and of authorities responding.

Each function takes a run of quarters and answers in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.models import Attendance, DutyStatus, Meeting, Organisation, svrp_lookup
from governance.quarters import FinancialQuarter

from .models import SurveyResponse

ATTENDANCE = "2.1.1.a"
UNDERSTANDING = "2.2.1.a"


@dataclass(frozen=True)
class DerivedValue:
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    detail: str


def svrp_attendance(quarters: Sequence[FinancialQuarter]) -> dict[FinancialQuarter, DerivedValue]:
    if not quarters:
        return {}
    first, last = min(quarters), max(quarters)
    total = Organisation.objects.duty_authorities().count()
    rows = (
        Attendance.objects.representing()
        .filter(
            svrp_lookup("meeting__group__"),
            meeting__date__gte=first.start,
            meeting__date__lte=min(last.end, timezone.localdate()),  # held: its date has come
            organisation__duty_status__in=[DutyStatus.SPECIFIED, DutyStatus.RELEVANT],
            organisation__archived_at__isnull=True,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .values_list("meeting__date", "organisation_id")
        .order_by()  # the model's ordering would join its columns into the DISTINCT
        .distinct()
    )
    represented: dict[FinancialQuarter, set[int]] = defaultdict(set)
    for day, organisation_id in rows:
        represented[FinancialQuarter.of(day)].add(organisation_id)
    wanted = set(quarters)
    return {
        quarter: DerivedValue(
            Decimal(len(ids)),
            Decimal(len(ids)),
            Decimal(total),
            ngettext("%(n)s of %(total)s authority", "%(n)s of %(total)s authorities", total)
            % {"n": len(ids), "total": total},
        )
        for quarter, ids in represented.items()
        if quarter in wanted
    }


def survey_understanding(quarters: Sequence[FinancialQuarter]) -> dict[FinancialQuarter, DerivedValue]:
    if not quarters:
        return {}
    q_filter = Q()
    for quarter in quarters:
        q_filter |= Q(
            invitation__round__period__year=quarter.year, invitation__round__period__quarter=quarter.quarter
        )
    rows = (
        SurveyResponse.objects.filter(q_filter)
        .values("invitation__round__period__year", "invitation__round__period__quarter")
        .annotate(
            ratings=Count("pk"),
            good=Count("pk", filter=Q(rating__in=[SurveyResponse.Rating.GOOD, SurveyResponse.Rating.FULL])),
            responses=Count("invitation", distinct=True),
            authorities=Count("invitation__organisation", distinct=True),
        )
        .order_by()
    )
    found = {}
    for row in rows:
        quarter = FinancialQuarter(
            row["invitation__round__period__year"], row["invitation__round__period__quarter"]
        )
        percentage = (Decimal(100) * row["good"] / row["ratings"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        found[quarter] = DerivedValue(
            percentage,
            Decimal(row["good"]),
            Decimal(row["ratings"]),
            _("%(ratings)s; %(responses)s from %(authorities)s")
            % {
                "ratings": ngettext(
                    "%(good)s of %(ratings)s rating", "%(good)s of %(ratings)s ratings", row["ratings"]
                )
                % row,
                "responses": ngettext("%(responses)s response", "%(responses)s responses", row["responses"])
                % row,
                "authorities": ngettext(
                    "%(authorities)s authority", "%(authorities)s authorities", row["authorities"]
                )
                % row,
            },
        )
    return found


def derived_values(code: str, quarters: Sequence[FinancialQuarter]) -> dict[FinancialQuarter, DerivedValue]:
    if code == ATTENDANCE:
        return svrp_attendance(quarters)
    if code == UNDERSTANDING:
        return survey_understanding(quarters)
    return {}
