"""Benchmark data: a large partnership's records, deterministic (seeded), built with bulk inserts.

``generate_benchmark_data --scale N`` runs each generator of ``BENCH_GENERATORS`` in order (dotted
paths: the generators of the other apps' records import this module). Scale 10 is the large set:
ten financial years of quarterly figures, 300 people, 400 meetings with full
attendance registers and agendas, 20,000 actions with five updates each and 100 Crest recommendations
with progress logs. Scale 1 is a tenth of that (one year); fractional scales serve the tests.

The same seed and scale give the same rows. Dates are laid out back from the start of the current
financial quarter, so the data looks current and stays identical for a whole quarter. History
(simple-history) is not written for these rows: the benchmark measures pages, not audit trails.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.module_loading import import_string

from core.roles import Role
from governance.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    TheoryOfChangeActivity,
)
from governance.quarters import FinancialQuarter

BENCH_GENERATORS: list[str] = [
    "demo.benchmark.generate_governance",
    "demo.benchmark_crest.generate_crest",
    "demo.benchmark_performance.generate_performance",
]

# One account per role. The benchmark signs in as the board member: board members are not required
# to use two-factor login (core.twofactor), so it signs in with a password even with
# SVRP_REQUIRE_2FA on, as in production. The staff and administrator accounts would be asked to set
# up two-factor login at their first sign-in, as any real one would.
BENCH_ACCOUNTS = {
    "bench.staff": Role.VRU_STAFF,
    "bench.board": Role.BOARD_MEMBER,
    "bench.chair": Role.SUBGROUP_CHAIR,
    "bench.provider": Role.DATA_PROVIDER,
    "bench.admin": Role.ADMINISTRATOR,
}
BENCH_PREFIX = "Bench "
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    """How much data: ``n=10`` is the issue's large set; every count is linear in ``n``."""

    n: float

    def _of(self, per_unit: float, minimum: int) -> int:
        return max(minimum, round(per_unit * self.n))

    @property
    def people(self) -> int:
        return self._of(30, 6)

    @property
    def meetings(self) -> int:
        return self._of(40, 4)

    @property
    def actions(self) -> int:
        return self._of(2000, 20)

    @property
    def updates_per_action(self) -> int:
        return 5

    @property
    def recommendations(self) -> int:
        return self._of(10, 1)

    @property
    def report_versions(self) -> int:
        return self._of(4, 1)

    @property
    def quarters(self) -> int:
        """Quarters of figures, meetings and actions: 40 (ten financial years) at ``n=10``."""
        return min(40, max(2, math.ceil(4 * self.n)))


@dataclass(frozen=True)
class Context:
    """What every generator needs: the scale, the seeded random source and the dates it lays out."""

    scale: Scale
    rng: random.Random
    password: str
    current: FinancialQuarter  # the quarter in progress; the data runs up to its start

    @property
    def last(self) -> FinancialQuarter:
        """The last complete quarter (the one whose figures are collected now)."""
        return self.current.previous()

    @property
    def first(self) -> FinancialQuarter:
        return self.current.minus(self.scale.quarters)

    @property
    def start(self) -> dt.date:
        return self.first.start

    @property
    def end(self) -> dt.date:
        return self.current.start


class NotABenchmarkDatabase(Exception):
    """Raised rather than put accounts with a known password beside real users."""


def generate_all(*, scale: float, password: str, seed: int = 2022, today: dt.date | None = None) -> list[str]:
    User = get_user_model()
    others = User.objects.exclude(username__in=BENCH_ACCOUNTS)
    if others.exists():
        raise NotABenchmarkDatabase(
            "This database has user accounts that are not the benchmark's: generate benchmark data only "
            "in a database of its own."
        )
    context = Context(
        scale=Scale(scale),
        rng=random.Random(seed),
        password=password,
        current=FinancialQuarter.of(today or timezone.localdate()),
    )
    summary = []
    for dotted in BENCH_GENERATORS:
        generator: Callable[[Context], str] = import_string(dotted)
        summary.append(generator(context))
    # The generators insert in bulk, without the signals that keep the search index: write it now.
    from search.services import index_rebuild

    summary.append(f"Search: {index_rebuild()} index entries.")
    return summary


def bulk(model: Any, rows: Any) -> list[Any]:
    """Insert in batches: one statement per ``BATCH`` rows keeps memory and statement size bounded."""
    return list(model.objects.bulk_create(rows, batch_size=BATCH))


def accounts(password: str) -> dict[str, Any]:
    User = get_user_model()
    users = {}
    for username, role in BENCH_ACCOUNTS.items():
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": "Bench", "last_name": role.value, "email": f"{username}@example.org"},
        )
        user.set_password(password)
        user.is_staff = user.is_superuser = role is Role.ADMINISTRATOR
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        users[username] = user
    return users


def generate_governance(context: Context) -> str:
    if Person.objects.filter(full_name__startswith=BENCH_PREFIX).exists():
        return "Governance benchmark data already present."
    scale, rng = context.scale, context.rng
    users = accounts(context.password)
    authorities = list(Organisation.objects.duty_authorities().order_by("name"))
    svrp = PartnershipGroup.objects.get(short_name="SVRP")
    subgroups = list(PartnershipGroup.objects.exclude(pk=svrp.pk).order_by("order", "pk"))
    activities = list(TheoryOfChangeActivity.objects.order_by("order"))
    start, end = context.start, context.end
    span = (end - start).days

    people = bulk(
        Person,
        (
            Person(
                full_name=f"{BENCH_PREFIX}Person {i:04d}",
                job_title=rng.choice(["Director", "Head of Service", "Manager", "Lead", "Analyst"]),
                email=f"bench.person{i:04d}@example.org",
                organisation=authorities[i % len(authorities)],
            )
            for i in range(scale.people)
        ),
    )
    # The board member and the chair accounts are people too, so "my actions" has rows.
    for person, username in ((people[0], "bench.board"), (people[1], "bench.chair")):
        person.user = users[username]
        person.save(update_fields=["user"])

    # One in six people sits on the SVRP itself (50 at scale 10, near the ToR's seats); the rest on a
    # sub-group each. The board member's person (the first) is on the SVRP.
    # Each person holds a seat of their own, for their authority.
    seats = bulk(
        Seat,
        (
            Seat(
                group=svrp if i % 6 == 0 or not subgroups else subgroups[i % len(subgroups)],
                organisation=person.organisation,
                title=f"{BENCH_PREFIX}seat {i:04d}",
                order=i,
            )
            for i, person in enumerate(people)
        ),
    )
    memberships = bulk(
        Membership,
        (
            Membership(
                person=person,
                seat=seat,
                group_id=seat.group_id,
                organisation_id=seat.organisation_id,
                role=Membership.Role.MEMBER,
                start_date=start,
            )
            for person, seat in zip(people, seats, strict=True)
        ),
    )
    members_of: dict[int, list[Membership]] = {}
    for membership in memberships:
        members_of.setdefault(membership.group_id, []).append(membership)

    # A quarter of the meetings are the SVRP's (quarterly and more), the rest the sub-groups'.
    meetings = bulk(
        Meeting,
        (
            Meeting(
                group=svrp if i % 4 == 0 or not subgroups else subgroups[i % len(subgroups)],
                title=f"{BENCH_PREFIX}meeting {i:04d}",
                date=start + dt.timedelta(days=i * (span - 1) // scale.meetings),
                start_time=dt.time(10, 0),
                end_time=dt.time(12, 0),
                location="Winchester",
                status=Meeting.Status.HELD,
            )
            for i in range(scale.meetings)
        ),
    )
    # The SVRP's next meeting, early next quarter (always after today), so home has one to show.
    upcoming = Meeting.objects.create(
        group=svrp,
        title=f"{BENCH_PREFIX}meeting, next quarter",
        date=context.current.next().start + dt.timedelta(days=14),
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 0),
        location="Winchester",
        status=Meeting.Status.SCHEDULED,
    )
    statuses = [Attendance.Status.PRESENT] * 6 + [Attendance.Status.APOLOGIES, Attendance.Status.DEPUTY]
    bulk(
        Attendance,
        (
            Attendance(
                meeting=meeting,
                person=membership.person,
                membership=membership,
                seat_id=membership.seat_id,
                organisation=membership.organisation,
                status=Attendance.Status.EXPECTED if meeting is upcoming else rng.choice(statuses),
            )
            for meeting in [*meetings, upcoming]
            for membership in members_of.get(meeting.group_id, [])
        ),
    )
    titles = [
        "Welcome and apologies",
        "Declarations of interest",
        "Minutes of the last meeting and the action log",
        "Performance framework: the quarter's figures",
        "Sub-group updates",
        "Crest Advisory recommendations",
        "Any other business",
    ]
    bulk(
        AgendaItem,
        (
            AgendaItem(meeting=meeting, order=order, title=title, presenter=people[order % len(people)])
            for meeting in meetings
            for order, title in enumerate(titles, start=1)
        ),
    )

    # Actions raised at the meetings; those due long ago are mostly done, recent ones mostly open.
    recent = end - dt.timedelta(days=120)
    actions = []
    for i in range(scale.actions):
        meeting = meetings[i * len(meetings) // scale.actions]
        due = meeting.date + dt.timedelta(days=rng.randrange(14, 180))
        if due >= recent:
            status = rng.choice([Action.Status.OPEN, Action.Status.OPEN, Action.Status.IN_PROGRESS])
        else:
            status = rng.choices(
                [Action.Status.COMPLETE, Action.Status.CLOSED, Action.Status.SUPERSEDED, Action.Status.OPEN],
                [70, 15, 5, 10],
            )[0]
        owner = people[0] if i % 50 == 0 else people[i % len(people)]
        actions.append(
            Action(
                reference=f"BENCH-{i + 1:06d}",
                description=f"Benchmark action {i + 1}: review the partnership's response in area {i % 97}.",
                owner=owner,
                organisation=owner.organisation,
                due_date=due,
                status=status,
                completed_on=due if status == Action.Status.COMPLETE else None,
                meeting=meeting,
                raised_on=meeting.date,  # bulk creation skips save(), which would default it
                toc_activity=activities[i % len(activities)] if activities else None,
            )
        )
    actions = bulk(Action, actions)
    author = users["bench.staff"]
    updates = scale.updates_per_action
    raised_on = {action.pk: action.meeting.date for action in actions if action.meeting is not None}
    bulk(
        ActionUpdate,
        (
            ActionUpdate(
                action=action,
                date=min(end, raised_on[action.pk] + dt.timedelta(days=7 * (k + 1))),
                text=f"Update {k + 1} on {action.reference}: progress reported to the meeting.",
                status=action.status if k == updates - 1 else Action.Status.IN_PROGRESS,
                author=author,
            )
            for action in actions
            for k in range(updates)
        ),
    )
    return (
        f"Governance: {len(people)} people, {len(meetings)} meetings, {len(actions)} actions "
        f"with {len(actions) * updates} updates, {len(users)} accounts."
    )


def key_pages() -> list[str]:
    """The pages the benchmark drives, resolved against the data."""
    latest = (
        Meeting.objects.filter(group__short_name="SVRP", status=Meeting.Status.HELD)
        .order_by("-date", "-pk")
        .first()
    )
    return [
        "/",
        "/performance/",
        "/performance/measures/1.1.1.b/",
        "/actions/",
        "/actions/?status=open_all&overdue=on",
        f"/meetings/{latest.pk}/" if latest else "/meetings/",
        "/membership/",
        "/crest/",
        # A word in every generated action's description: the search's longest result list.
        "/search/?q=response",
    ]
