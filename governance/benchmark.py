"""Benchmark data: a large partnership's records, deterministic (seeded), built with bulk inserts.

``generate_benchmark_data --scale N`` runs each generator in ``BENCH_GENERATORS`` in order (dotted
paths, so other apps add theirs without governance importing them). Scale 1 is a year of a small
portal; scale 10 is the large set of the benchmark issue: 300 people, 400 meetings with full
attendance and agendas, 20,000 actions with five updates each (and, from the other apps, ten years of
figures, 100 recommendations and 40 report versions).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    TheoryOfChangeActivity,
)
from .roles import Role

BENCH_GENERATORS: list[str] = ["governance.benchmark.generate_governance"]

# One account per role; the benchmark signs in as the board member.
BENCH_ACCOUNTS = {
    "bench.staff": Role.VRU_STAFF,
    "bench.board": Role.BOARD_MEMBER,
    "bench.chair": Role.SUBGROUP_CHAIR,
    "bench.provider": Role.DATA_PROVIDER,
    "bench.admin": Role.ADMINISTRATOR,
}


@dataclass(frozen=True)
class Scale:
    n: int

    @property
    def people(self) -> int:
        return 30 * self.n

    @property
    def meetings(self) -> int:
        return 40 * self.n

    @property
    def actions(self) -> int:
        return 2000 * self.n

    @property
    def years(self) -> int:
        return self.n


def generate_all(*, scale: int, password: str, seed: int = 2022) -> list[str]:
    summary = []
    for dotted in BENCH_GENERATORS:
        generator: Callable[..., str] = import_string(dotted)
        summary.append(generator(scale=Scale(scale), password=password, rng=random.Random(seed)))
    return summary


def _accounts(password: str) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, role in BENCH_ACCOUNTS.items():
        user, _ = User.objects.get_or_create(
            username=username, defaults={"first_name": "Bench", "last_name": role}
        )
        user.set_password(password)
        user.is_staff = user.is_superuser = role is Role.ADMINISTRATOR
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        users[username] = user
    return users


def generate_governance(*, scale: Scale, password: str, rng: random.Random) -> str:
    if Person.objects.filter(full_name__startswith="Bench ").exists():
        return "Governance benchmark data already present."
    users = _accounts(password)
    organisations = list(Organisation.objects.current().order_by("name"))
    authorities = [o for o in organisations if o.is_duty_authority] or organisations
    svrp = PartnershipGroup.objects.get(short_name="SVRP")
    groups = list(PartnershipGroup.objects.order_by("order"))
    activities = list(TheoryOfChangeActivity.objects.order_by("order"))
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * scale.years)

    people = Person.objects.bulk_create(
        Person(
            full_name=f"Bench Person {i:04d}",
            job_title=rng.choice(["Director", "Head of Service", "Manager", "Lead", "Analyst"]),
            email=f"bench.person{i:04d}@example.org",
            organisation=authorities[i % len(authorities)],
        )
        for i in range(scale.people)
    )
    # The board member account is a person too, with SVRP membership, so "my actions" has rows.
    board_person = people[0]
    board_person.user = users["bench.board"]
    board_person.save(update_fields=["user"])
    chair_person = people[1]
    chair_person.user = users["bench.chair"]
    chair_person.save(update_fields=["user"])

    memberships = Membership.objects.bulk_create(
        Membership(
            person=person,
            group=svrp if i % 3 else groups[i % len(groups)],
            organisation=person.organisation,
            role=Membership.Role.MEMBER,
            start_date=start,
        )
        for i, person in enumerate(people)
    )
    svrp_members = [m for m in memberships if m.group_id == svrp.pk]

    meetings = Meeting.objects.bulk_create(
        Meeting(
            group=svrp if i % 4 == 0 else groups[i % len(groups)],
            title=f"Bench meeting {i:04d}",
            date=start + dt.timedelta(days=int(i * (today - start).days / scale.meetings)),
            start_time=dt.time(10, 0),
            end_time=dt.time(12, 0),
            location="Winchester",
            status=Meeting.Status.HELD,
        )
        for i in range(scale.meetings)
    )
    statuses = [Attendance.Status.PRESENT] * 6 + [Attendance.Status.APOLOGIES, Attendance.Status.DEPUTY]
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person=m.person,
            membership=m,
            organisation=m.organisation,
            status=rng.choice(statuses),
        )
        for meeting in meetings
        for m in (svrp_members if meeting.group_id == svrp.pk else svrp_members[:40])
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=order, title=title)
        for meeting in meetings
        for order, title in enumerate(
            ["Welcome and apologies", "Declarations of interest", "Minutes and actions", "Performance",
             "Sub-group updates", "Any other business"], start=1
        )
    )  # fmt: skip

    action_statuses = list(Action.Status.values)
    actions = Action.objects.bulk_create(
        Action(
            reference=f"BENCH-{i:06d}",
            description=f"Benchmark action {i}: review the partnership's response in area {i % 97}.",
            owner=board_person if i % 50 == 0 else people[i % len(people)],
            organisation=authorities[i % len(authorities)],
            due_date=start + dt.timedelta(days=rng.randrange(0, (today - start).days + 180)),
            status=rng.choice(action_statuses),
            meeting=meetings[i % len(meetings)],
            toc_activity=activities[i % len(activities)] if activities else None,
        )
        for i in range(scale.actions)
    )
    author = users["bench.staff"]
    ActionUpdate.objects.bulk_create(
        (
            ActionUpdate(
                action=action,
                date=action.due_date - dt.timedelta(days=10 * (5 - k)),
                text=f"Update {k + 1} on {action.reference}.",
                status=action.status,
                author=author,
            )
            for action in actions
            for k in range(5)
        ),
        batch_size=5000,
    )
    return (
        f"Governance: {len(people)} people, {len(meetings)} meetings, {len(actions)} actions "
        f"with {len(actions) * 5} updates."
    )


def key_pages() -> list[str]:
    """The pages the benchmark drives (issue 9), resolved against the data."""
    latest = Meeting.objects.filter(group__short_name="SVRP").order_by("-date", "-pk").first()
    pages = [
        "/",
        "/performance/",
        "/performance/measures/1.1.1.b/",
        "/actions/",
        "/actions/?status=open&overdue=1",
        f"/meetings/{latest.pk}/" if latest else "/meetings/",
        "/membership/",
        "/crest/",
    ]
    return pages
