"""The load scenarios of ``make bench`` (bench/scenarios.py): prepare their accounts, and count afterwards
what they submitted that the database does not hold.

``setup`` prints, as JSON, what the scenarios drive: the meeting in progress (its attendance rows, people
to own actions), the staff account's backup code (VRU staff sign in with two-factor login, as in
production), and 25 data provider accounts (each makes its own API token on the tokens page, as a
provider would), each with cells of the collection quarter
(the latest ended one) that no other provider writes, so the last value each provider saw accepted for
a cell must be the value in the database afterwards.

``check LOG`` reads the scenarios' log of accepted submissions (one JSON object a line) and prints, as
JSON, how many were accepted and how many are not in the database (``lost_submissions``).
Refuses to run on a database whose name does not say it is the benchmark's.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from core.roles import Role
from governance.models import Action, Attendance, Decision, Meeting, Person
from performance.models import Area, Figure, FigureCorrection, Measure, Period
from performance.selectors import collection_quarter

PROVIDERS = 25
CELLS_PER_PROVIDER = 8


def _guard() -> None:
    name = str(connection.settings_dict.get("NAME") or "")
    if "bench" not in name and connection.vendor != "sqlite":
        raise CommandError(f"bench_scenarios changes its database: name it *bench* (not {name!r}).")
    if connection.vendor == "sqlite" and "bench" not in name:
        raise CommandError(f"bench_scenarios changes its database: name the SQLite file *bench* ({name!r}).")


class Command(BaseCommand):
    help = "Prepare the load scenarios' accounts (setup) or count their lost submissions (check LOG)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("step", choices=["setup", "check"])
        parser.add_argument("log", nargs="?", default="")
        parser.add_argument("--password", default="")
        parser.add_argument("--staff-code", default="")

    def handle(self, *args: Any, step: str, log: str, password: str, staff_code: str, **options: Any) -> None:
        _guard()
        if step == "setup":
            if not password or not staff_code:
                raise CommandError("setup needs --password and --staff-code.")
            self.stdout.write(json.dumps(setup(password, staff_code)))
        else:
            self.stdout.write(json.dumps(check(Path(log))))


@transaction.atomic
def setup(password: str, staff_code: str) -> dict[str, Any]:
    User = get_user_model()
    staff = User.objects.get(username="bench.staff")
    device, _ = StaticDevice.objects.get_or_create(user=staff, name="bench")
    StaticToken.objects.filter(device=device).delete()
    StaticToken.objects.create(device=device, token=staff_code)

    meeting = (
        Meeting.objects.filter(group__short_name="SVRP", status=Meeting.Status.HELD)
        .order_by("-date", "-pk")
        .first()
    )
    if meeting is None:
        raise CommandError("No SVRP meeting in the benchmark data.")
    rows = list(meeting.attendance.filter(person__isnull=False).values_list("pk", flat=True))
    owners = list(Person.objects.filter(archived_at__isnull=True).values_list("pk", flat=True)[:20])

    quarter = collection_quarter(timezone.localdate())
    period = Period.objects.get(year=quarter.year, quarter=quarter.quarter)
    if period.locked_at is not None:  # figures are accepted for an ended, unlocked quarter only
        period.locked_at = None
        period.save(update_fields=["locked_at"])
    measures = list(
        Measure.objects.current()
        .filter(derived=False, data_source__isnull=False)
        .order_by("order", "code")
        .select_related("data_source")
    )
    # Deadline day: the quarter's entered figures are not in yet. The benchmark's history covers it
    # (verified, so changing one would need a reason): clear them, so the providers submit afresh.
    FigureCorrection.objects.filter(figure__period=period, figure__measure__in=measures).delete()
    Figure.objects.filter(period=period, measure__in=measures).delete()
    areas = list(Area.objects.order_by("order", "pk"))
    # Every cell of the quarter a provider could enter, dealt out so that no two providers share one.
    cells = [(m, a) for m in measures for a in areas]
    by_source: dict[int, list[tuple[Measure, Area]]] = {}
    for measure, area in cells:
        by_source.setdefault(measure.data_source_id, []).append((measure, area))  # type: ignore[arg-type]
    sources = sorted(by_source)
    if not sources:
        raise CommandError("No entered measure has a data source.")
    group = Group.objects.get_or_create(name=Role.DATA_PROVIDER.value)[0]
    providers = []
    for n in range(PROVIDERS):
        source = sources[n % len(sources)]
        # The providers of one source take every k-th cell of its pool, from their own starting point.
        sharing = len(range(n % len(sources), PROVIDERS, len(sources)))
        share = by_source[source][n // len(sources) :: sharing][:CELLS_PER_PROVIDER]
        username = f"bench.provider{n + 1:02d}"
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": "Bench",
                "last_name": f"Provider {n + 1}",
                "email": f"{username}@example.org",
            },
        )
        user.set_password(password)
        user.save()
        user.groups.add(group)
        Person.objects.update_or_create(
            user=user,
            defaults={"full_name": f"Bench Provider {n + 1:02d}", "organisation_id": source},
        )
        providers.append(
            {
                "username": username,
                "cells": [
                    {"measure": m.code, "measure_id": m.pk, "area": a.code, "area_id": a.pk} for m, a in share
                ],
            }
        )
    return {
        "meeting": meeting.pk,
        "attendance_rows": rows,
        "owners": owners,
        "period": {"id": period.pk, "label": period.label},
        "due_date": (timezone.localdate() + dt.timedelta(days=60)).strftime("%d/%m/%Y"),
        "providers": providers,
    }


def check(log: Path) -> dict[str, int]:
    """Every accepted decision and action must be in the database, every attendance row hold the last
    status accepted for it, and every figure the last value accepted for its cell."""
    last: dict[tuple[str, str, str], Decimal] = {}
    statuses: dict[int, str] = {}
    accepted = lost = 0
    lines = log.read_text().splitlines() if log.exists() else []
    for line in lines:
        entry = json.loads(line)
        accepted += 1
        if entry["kind"] == "figure":
            last[(entry["measure"], entry["period"], entry["area"])] = Decimal(entry["value"])
        elif entry["kind"] == "attendance":
            statuses[entry["row"]] = entry["status"]
        elif entry["kind"] == "decision":
            lost += not Decision.objects.filter(text=entry["text"]).exists()
        elif entry["kind"] == "action":
            lost += not Action.objects.filter(description=entry["text"]).exists()
    stored_statuses = dict(Attendance.objects.filter(pk__in=statuses).values_list("pk", "status"))
    lost += sum(1 for pk, status in statuses.items() if stored_statuses.get(pk) != status)
    for (measure, period_id, area), value in last.items():
        stored = (
            Figure.objects.filter(
                measure__code=measure, period_id=int(period_id), area__code=area, age_band="all"
            )
            .values_list("value", flat=True)
            .first()
        )
        if stored is None or Decimal(stored) != value:
            lost += 1
    return {"accepted_submissions": accepted, "lost_submissions": lost}
