"""Demonstration meetings, attendance, updates, minutes and actions (``load_demo_data``, DEBUG only).

Links the demo accounts to people in the register and adds a year of SVRP and sub-group meetings.
Every row is marked as demonstration data (``is_demo`` where the model has it, "(demo)" in people's
names and "demonstration" in meeting titles). Idempotent: a second run adds nothing.

Organisations and groups are matched by name (the reference data's names) and created only if the
reference data has not been loaded. Demo members of the SVRP fill the ToR's seats that the reference
data loads as vacant: the vacant seat ends the day before the demo member starts, so the register
keeps its history and no seat is held twice.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from governance.models import (
    RAG,
    Action,
    Attendance,
    DutyStatus,
    Meeting,
    Membership,
    Minutes,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    Sector,
    SubgroupUpdate,
    TheoryOfChangeActivity,
)
from governance.services import actions as action_services
from governance.services import meetings as services
from governance.services import registers as register_services

ORGANISATIONS = {
    "vru": ("Violence Reduction Unit", "VRU", Sector.VRU, DutyStatus.NONE),
    "opcc": (
        "Office of the Police and Crime Commissioner for Hampshire and Isle of Wight",
        "OPCC",
        Sector.OPCC,
        DutyStatus.NONE,
    ),
    "police": ("Hampshire and Isle of Wight Constabulary", "Police", Sector.POLICE, DutyStatus.SPECIFIED),
    "fire": (
        "Hampshire and Isle of Wight Fire and Rescue Service",
        "HIWFRS",
        Sector.FIRE,
        DutyStatus.SPECIFIED,
    ),
    "yjs": ("Youth Justice Service", "YJS", Sector.YOUTH_JUSTICE, DutyStatus.SPECIFIED),
    "portsmouth": ("Portsmouth City Council", "", Sector.LOCAL_AUTHORITY, DutyStatus.SPECIFIED),
    "southampton": ("Southampton City Council", "", Sector.LOCAL_AUTHORITY, DutyStatus.SPECIFIED),
    "hampshire": ("Hampshire County Council", "", Sector.LOCAL_AUTHORITY, DutyStatus.SPECIFIED),
    "iow": ("Isle of Wight Council", "", Sector.LOCAL_AUTHORITY, DutyStatus.SPECIFIED),
}

GROUPS = (
    ("SVRP", "Strategic Violence Reduction Partnership", "svrp", PartnershipGroup.Kind.PARTNERSHIP, 0),
    ("TVRP", "Tactical Violence Reduction Partnership", "tvrp", PartnershipGroup.Kind.SUBGROUP, 1),
    ("DAWG", "Data and Analysis Working Group", "dawg", PartnershipGroup.Kind.SUBGROUP, 2),
    ("Engagement", "Engagement Working Group", "engagement", PartnershipGroup.Kind.SUBGROUP, 3),
    ("Comms", "Communications Working Group", "comms", PartnershipGroup.Kind.SUBGROUP, 4),
    (
        "IEO",
        "Interventions, Evaluations and Opportunities Working Group",
        "ieo",
        PartnershipGroup.Kind.SUBGROUP,
        5,
    ),
)

# (username or None, full name, job title, organisation key, [(group, role)])
PEOPLE = (
    ("vru.staff", "Val Staff (demo)", "VRU Programme Manager", "vru", [("SVRP", "secretariat")]),
    ("board.member", "Bea Member (demo)", "Director of Community Safety", "portsmouth", [("SVRP", "member")]),
    (
        "subgroup.chair",
        "Sam Chair (demo)",
        "Head of Community Safety Analysis",
        "southampton",
        [("DAWG", "chair")],
    ),
    ("data.provider", "Dana Provider (demo)", "Senior Analyst", "police", [("DAWG", "member")]),
    (None, "Priya Shah (demo)", "Chief Superintendent", "police", [("SVRP", "member"), ("TVRP", "chair")]),
    (None, "Tom Reid (demo)", "Assistant Director Operations", "fire", [("SVRP", "member")]),
    (None, "Grace Okafor (demo)", "Head of Youth Justice", "yjs", [("SVRP", "member"), ("IEO", "chair")]),
    (None, "Owen Hughes (demo)", "Community Safety Manager", "southampton", [("SVRP", "member")]),
    (None, "Hannah Price (demo)", "Head of Community Safety", "hampshire", [("SVRP", "member")]),
    (
        None,
        "Lewis Grant (demo)",
        "Community Safety Officer",
        "iow",
        [("SVRP", "member"), ("Engagement", "chair")],
    ),
    (None, "Ruth Ellis (demo)", "Communications Lead", "opcc", [("Comms", "chair")]),
)

# The ToR seat on the SVRP each demo member fills (``reference_registers.AGENCIES``).
TOR_SEATS = {
    "Val Staff (demo)": "VRU Managers",
    "Bea Member (demo)": "Representation from Portsmouth City Council",
    "Priya Shah (demo)": "Strategic Lead for Serious Violence",
    "Tom Reid (demo)": "Assistant Director Operations",
    "Grace Okafor (demo)": "Hampshire and Isle of Wight Head of Service",
    "Owen Hughes (demo)": "Representation from Southampton City Council",
    "Hannah Price (demo)": "Representation from Hampshire County Council",
    "Lewis Grant (demo)": "Representation from Isle of Wight Council",
}

AGENDA = (
    "Welcome, apologies and declarations of interest",
    "Minutes and action log of the last meeting",
    "Sub-group updates",
    "Performance framework: quarterly figures",
    "Any other business",
)

ACTIONS = (
    (
        "board.member",
        "1.b",
        "Circulate the Serious Violence Duty concordat to community safety leads in Portsmouth.",
    ),
    ("Priya Shah (demo)", "1.a", "Confirm the Constabulary's named deputy for SVRP meetings."),
    ("board.member", "1.c", "Arrange trauma-informed practice briefings for council housing teams."),
    ("Grace Okafor (demo)", "1.d", "Draft options for sustaining the mentoring programme beyond the grant."),
    ("Tom Reid (demo)", "1.c", "Share the fire service's youth engagement evaluation with the IEO group."),
    (
        "Owen Hughes (demo)",
        "1.b",
        "Report back on the Southampton serious violence needs assessment refresh.",
    ),
)


def _organisations() -> dict[str, Organisation]:
    found = {}
    for key, (name, short, sector, duty) in ORGANISATIONS.items():
        org = (
            Organisation.objects.filter(name=name).first()
            or Organisation.objects.filter(slug=slugify(name)).first()
        )
        if org is None:
            org = Organisation.objects.create(
                name=name, slug=slugify(name), short_name=short, sector=sector, duty_status=duty
            )
        found[key] = org
    return found


def _groups() -> dict[str, PartnershipGroup]:
    found: dict[str, PartnershipGroup] = {}
    for short, name, slug, kind, order in GROUPS:
        group = PartnershipGroup.objects.filter(short_name=short).first()
        if group is None:
            group = PartnershipGroup.objects.create(
                short_name=short, name=name, slug=slug, kind=kind, order=order, parent=found.get("SVRP")
            )
        found[short] = group
    return found


def _people(
    orgs: dict[str, Organisation], groups: dict[str, PartnershipGroup], start: dt.date
) -> dict[str, Person]:
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=[p[0] for p in PEOPLE if p[0]])
    }
    people: dict[str, Person] = {}
    for username, name, job, org_key, seats in PEOPLE:
        person = Person.objects.filter(full_name=name, is_demo=True).first()
        if person is None:
            person = Person.objects.create(
                full_name=name,
                job_title=job,
                organisation=orgs[org_key],
                email=f"{slugify(name)}@example.org",
                is_demo=True,
            )
        user = users.get(username) if username else None
        if user is not None and person.user_id is None and not Person.objects.filter(user=user).exists():
            person.user = user
            person.save(update_fields=["user", "modified"])
        for short, role in seats:
            group = groups[short]
            if Membership.objects.filter(person=person, group=group).exists():
                continue
            if role == "chair" and Membership.objects.current().filter(group=group, role="chair").exists():
                role = "member"  # the register already has a chair: one chair at a time
            title = TOR_SEATS[name] if short == "SVRP" and name in TOR_SEATS else job
            seat = Seat.objects.current().filter(
                group=group, organisation=orgs[org_key], title=title
            ).first() or register_services.seat_create(
                acting_user=None, group=group, organisation=orgs[org_key], title=title
            )
            if Membership.objects.active_on(start).holders().filter(seat=seat).exists():
                role = "deputy"  # someone holds the seat already: a second person deputises
            register_services.membership_start(
                acting_user=None, person=person, seat=seat, role=role, start_date=start
            )
        people[username or name] = person
    return people


def _attendance(meeting: Meeting, people: dict[str, Person], index: int) -> None:
    rows = list(meeting.attendance.exclude(person=None).order_by("person__full_name"))
    # A vacant seat's authority is sometimes represented all the same, by an officer sent on the day;
    # otherwise nobody came for it.
    vacant = meeting.attendance.filter(person=None, seat__isnull=False).order_by("seat__order", "pk")
    for position, row in enumerate(vacant):
        services.attendance_record(
            acting_user=None,
            attendance=row,
            status=Attendance.Status.DEPUTY if position < 2 else Attendance.Status.ABSENT,
            deputy_name="Sam Officer (demo)" if position < 2 else "",
        )
    for position, row in enumerate(rows):
        status, deputy = Attendance.Status.PRESENT, ""
        if (position + index) % 5 == 1:
            status = Attendance.Status.APOLOGIES
        elif (position + index) % 5 == 3:
            status, deputy = Attendance.Status.DEPUTY, "Jo Deputy (demo)"
        services.attendance_record(acting_user=None, attendance=row, status=status, deputy_name=deputy)


@transaction.atomic
def load() -> str:
    if Meeting.objects.filter(is_demo=True).exists():
        return "Demo meetings: already loaded."
    today = timezone.localdate()
    orgs = _organisations()
    groups = _groups()
    people = _people(orgs, groups, today - dt.timedelta(days=730))
    toc = {a.code: a for a in TheoryOfChangeActivity.objects.all()}
    svrp = groups["SVRP"]

    # A year of quarterly SVRP meetings (second Tuesday of the month), and the next one.
    first = today - dt.timedelta(days=365)
    first_of_month = dt.date(first.year, first.month, 1)
    second_tuesday = first_of_month + dt.timedelta(days=(1 - first_of_month.weekday()) % 7 + 7)
    base = services.propose_quarterly_dates(second_tuesday, count=5)
    dates = [d for d in base if d < today][-4:]
    upcoming = (
        services.propose_quarterly_dates(dates[-1], count=1)[0] if dates else today + dt.timedelta(days=30)
    )
    if upcoming <= today:
        upcoming = today + dt.timedelta(days=21)
        upcoming += dt.timedelta(days=(1 - upcoming.weekday()) % 7)  # a Tuesday, like the others

    meetings: list[Meeting] = []
    for day in [*dates, upcoming]:
        meeting = services.meeting_schedule(
            acting_user=None,
            group=svrp,
            date=day,
            title=f"SVRP quarterly meeting, {day:%B %Y} (demonstration)",
            start_time=dt.time(10, 0),
            end_time=dt.time(12, 0),
            location="Police and Crime Commissioner's office, Winchester",
            online_link="https://meet.example.org/svrp",
        )
        Meeting.objects.filter(pk=meeting.pk).update(is_demo=True)
        meeting.is_demo = True
        for title in AGENDA:
            services.agenda_item_add(acting_user=None, meeting=meeting, title=title)
        meetings.append(meeting)
        for short in ("TVRP", "DAWG", "Engagement", "Comms", "IEO"):
            if day < today or short != "DAWG":  # the DAWG update for the next meeting is still due
                SubgroupUpdate.objects.create(
                    group=groups[short],
                    meeting=meeting,
                    summary=f"{groups[short].name}: work continued on the delivery plan this quarter "
                    "(demonstration data).",
                    rag=RAG.AMBER if short == "TVRP" else RAG.GREEN,
                    escalations="Data-sharing agreement with one partner still unsigned."
                    if short == "DAWG"
                    else "",
                    submitted_at=timezone.now(),
                )
        # Sub-groups meet a fortnight before each SVRP meeting.
        for short in ("TVRP", "DAWG"):
            sub = services.meeting_schedule(
                acting_user=None,
                group=groups[short],
                date=day - dt.timedelta(days=14),
                title=f"{short} meeting, {day:%B %Y} (demonstration)",
                start_time=dt.time(14, 0),
                end_time=dt.time(15, 30),
                online_link="https://meet.example.org/" + short.lower(),
            )
            Meeting.objects.filter(pk=sub.pk).update(
                is_demo=True, status=Meeting.Status.HELD if sub.date < today else Meeting.Status.SCHEDULED
            )
            if sub.date < today:  # a held meeting has its register recorded, or attendance rates read 0%
                _attendance(sub, people, len(meetings))

    action_number = 0
    for index, meeting in enumerate(meetings[:-1]):
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        _attendance(meeting, people, index)
        items = list(meeting.agenda_items.all())
        minutes = services.minutes_save(
            acting_user=None,
            meeting=meeting,
            summary="Demonstration data: these minutes are made up to show how the portal works.",
            entries={item.pk: f"The partnership discussed {item.title.lower()}." for item in items},
        )
        services.decision_add(
            acting_user=None,
            meeting=meeting,
            agenda_item=items[3],
            text="The partnership noted the quarterly performance figures and agreed the next priorities.",
        )
        for _n in range(2):
            owner_key, code, text = ACTIONS[action_number % len(ACTIONS)]
            action_number += 1
            action = action_services.action_create(
                acting_user=None,
                meeting=meeting,
                description=text,
                owner=people[owner_key],
                due_date=meeting.date + dt.timedelta(days=60),
                toc_activity=toc.get(code),
                is_demo=True,
            )
            if index < 2 and _n == 1:  # older actions: done, with their updates logged
                action_services.action_update(
                    acting_user=None,
                    action=action,
                    text="Work under way; first draft shared with partners.",
                    status=Action.Status.IN_PROGRESS,
                    date=meeting.date + dt.timedelta(days=20),
                )
                action_services.action_update(
                    acting_user=None,
                    action=action,
                    text="Completed and reported to the partnership.",
                    status=Action.Status.COMPLETE,
                    date=meeting.date + dt.timedelta(days=50),
                )
            # the rest stay open: those from older meetings are now overdue
        next_meeting = meetings[index + 1]
        if next_meeting.date < today:
            services.minutes_approve(
                acting_user=None,
                minutes=minutes,
                approved_on=next_meeting.date,
                approved_at_meeting=next_meeting,
            )
            services.minutes_publish(acting_user=None, minutes=Minutes.objects.get(pk=minutes.pk))
    return (
        f"Demo meetings: {Meeting.objects.filter(is_demo=True).count()} meetings, "
        f"{Action.objects.filter(is_demo=True).count()} actions, {len(people)} people linked or added."
    )
