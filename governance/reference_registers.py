"""The registers as the Terms of Reference sets them out: agencies, seats, groups, ToC and the ToR itself.

Each loader creates what is missing and never touches a row that exists, matching on natural keys:
organisation slug or name, group short name, a seat's group, authority and title, ToC code, ToR version.
So a second run changes nothing, and an administrator's edit (a renamed organisation, a changed status,
a seat filled by a real person) survives every later run.

Decisions (see docs/adr/0001-terms-of-reference-approval-date.md and the README's "Reference data"):
- The Youth Justice Service is ONE organisation with four seats. The ToR lists it as one agency row with
  one status; its four roles are area managers of what the ToR treats as one agency (two of them, the
  Hampshire and Isle of Wight Head of Service and the IOW YJ Manager, belong to the same service), and
  four organisations would count one specified authority four times in attendance ("n of N").
- The health row is one organisation, the Hampshire and Isle of Wight Integrated Care Board (the
  specified authority), whose three seats include the NHS England Public Health Lead and Hampshire and
  Isle of Wight Public Health, as the ToR lists them under "Health – Integrated Care Boards".
- "Basingstoke and Dean Borough Council" in the ToR is the council officially named Basingstoke and Deane
  Borough Council; the organisation carries the official name, its seat keeps the ToR's words.
- Seats are records of their own (``Seat``), since the ToR names roles, not people: each is vacant until
  an administrator records who holds it (a tenure, ``Membership``). The ToR records no dates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.text import slugify

from .models import (
    DutyStatus,
    Organisation,
    PartnershipGroup,
    Seat,
    Sector,
    TermsOfReference,
    TermsOfReferenceSection,
    TheoryOfChangeActivity,
)
from .tor_source import sections


@dataclass(frozen=True)
class Agency:
    name: str
    short_name: str
    sector: str
    duty_status: str
    tor_description: str
    seats: tuple[str, ...]


COUNCILS_AS_IN_TOR = (
    "Hampshire County Council",
    "Portsmouth City Council",
    "Southampton City Council",
    "Fareham Borough Council",
    "Gosport Borough Council",
    "Winchester City Council",
    "New Forest District Council",
    "Rushmoor Borough Council",
    "Hart District Council",
    "Test Valley Borough Council",
    "Havant Borough Council",
    "Eastleigh Borough Council",
    "East Hampshire District Council",
    "Basingstoke and Dean Borough Council",
    "Isle of Wight Council",
)
# The ToR misspells one council's name; the register uses the official one.
OFFICIAL_NAMES = {"Basingstoke and Dean Borough Council": "Basingstoke and Deane Borough Council"}

AGENCIES: tuple[Agency, ...] = (
    Agency(
        "Office of the Police and Crime Commissioner for Hampshire and Isle of Wight",
        "OPCC",
        Sector.OPCC,
        DutyStatus.NONE,
        "Office of Police and Crime Commissioner (OPCC)",
        ("PCC (Chair)", "Chief of Staff"),
    ),
    Agency(
        "Violence Reduction Unit",
        "VRU",
        Sector.VRU,
        DutyStatus.NONE,
        "Violence Reduction Unit (VRU)",
        (
            "VRU Director",
            "VRU Managers",
            "Hampshire and Isle of Wight Together (HIOWT) Engagement Lead",
            "VRU Programmes and Projects Officer",
        ),
    ),
    Agency(
        "Hampshire and Isle of Wight Constabulary",
        "Police",
        Sector.POLICE,
        DutyStatus.SPECIFIED,
        "Police",
        (
            "Assistant Chief Constable",
            "Strategic Lead for Serious Violence",
            "Tactical Lead, Violence Crime Taskforce",
        ),
    ),
    Agency(
        "Hampshire and Isle of Wight Fire and Rescue Service",
        "HIWFRS",
        Sector.FIRE,
        DutyStatus.SPECIFIED,
        "Hampshire and Isle of Wight Fire & Rescue Service (HIWFRS)",
        ("Assistant Director Operations",),
    ),
    Agency(
        "Youth Justice Service",
        "YJS",
        Sector.YOUTH_JUSTICE,
        DutyStatus.SPECIFIED,
        "Youth Justice Service (YJS)",
        (
            "Southampton YJ Manager",
            "Portsmouth Head of Service and YJ Manager",
            "Hampshire and Isle of Wight Head of Service",
            "IOW YJ Manager",
        ),
    ),
    Agency(
        "Hampshire and Isle of Wight Integrated Care Board",
        "HIOW ICB",
        Sector.HEALTH,
        DutyStatus.SPECIFIED,
        "Health – Integrated Care Boards",
        (
            "Representation from Hampshire and Isle of Wight",
            "NHS England Public Health Lead",
            "Representation from Hampshire and Isle of Wight Public Health",
        ),
    ),
    *(
        Agency(
            OFFICIAL_NAMES.get(council, council),
            "",
            Sector.LOCAL_AUTHORITY,
            DutyStatus.SPECIFIED,
            f"Representation from {council}",
            (f"Representation from {council}",),
        )
        for council in COUNCILS_AS_IN_TOR
    ),
    Agency(
        "Probation Service",
        "Probation",
        Sector.PROBATION,
        DutyStatus.SPECIFIED,
        "Representation from Probation",
        ("Representation from Probation",),
    ),
    Agency(
        "Education",
        "Education",
        Sector.EDUCATION,
        DutyStatus.RELEVANT,
        "Representation by local authorities",
        ("Representation by local authorities",),
    ),
    Agency(
        "HMP Winchester",
        "HMP Winchester",
        Sector.PRISON,
        DutyStatus.RELEVANT,
        "Prison Service: representation from HMP Winchester",
        ("Representation from HMP Winchester",),
    ),
    Agency(
        "Action Hampshire",
        "Action Hampshire",
        Sector.VOLUNTARY,
        DutyStatus.NONE,
        "Voluntary Sector: representation from Action Hampshire",
        ("Representation from Action Hampshire",),
    ),
)

CHAIR_SEAT = "PCC (Chair)"


@dataclass(frozen=True)
class GroupSpec:
    short_name: str
    name: str
    slug: str
    kind: str
    order: int
    description: str = ""
    acts_as_vru_core_group: bool = False


SVRP = GroupSpec(
    "SVRP",
    "Strategic Violence Reduction Partnership",
    "svrp",
    PartnershipGroup.Kind.PARTNERSHIP,
    0,
    "Chaired by the Police and Crime Commissioner; carries out the functions of the VRU Core Group "
    "(as defined in the VRU Grant Agreement). Meetings are held quarterly.",
    acts_as_vru_core_group=True,
)
# The ToR's footnote: "Existing VRP sub-groups across HIPS are: …".
SUBGROUPS = (
    GroupSpec("TVRP", "Tactical Violence Reduction Partnership", "tvrp", PartnershipGroup.Kind.SUBGROUP, 1),
    GroupSpec("DAWG", "Data and Analysis Working Group", "dawg", PartnershipGroup.Kind.SUBGROUP, 2),
    GroupSpec("Engagement", "Engagement Working Group", "engagement", PartnershipGroup.Kind.SUBGROUP, 3),
    GroupSpec("Comms", "Communications Working Group", "comms", PartnershipGroup.Kind.SUBGROUP, 4),
    GroupSpec(
        "IEO",
        "Interventions, Evaluations and Opportunities Working Group",
        "ieo",
        PartnershipGroup.Kind.SUBGROUP,
        5,
    ),
)

# (code, kind, title, text as in the ToR). The further functions have no ToR number: F1–F4 are ours.
TOC: tuple[tuple[str, str, str, str], ...] = (
    (
        "1.a",
        TheoryOfChangeActivity.Kind.ACTIVITY,
        "Review governance arrangements",
        "Review governance arrangements to ensure the VRP is streamlined, with appropriate representation "
        "and positive engagement from all the specified and relevant authorities, as well as other "
        "stakeholders as required.",
    ),
    (
        "1.b",
        TheoryOfChangeActivity.Kind.ACTIVITY,
        "Set clear expectations of the specified authorities",
        "Set clear expectations in terms of the contribution of all specified authorities to the Serious "
        "Violence Duty. To ensure consistency between activities in each local authority area, a central "
        "concordat will be sent to practitioners in each area, clearly defining the roles, "
        "responsibilities and remits under the Serious Violence Duty for each partner authority.",
    ),
    (
        "1.c",
        TheoryOfChangeActivity.Kind.ACTIVITY,
        "Co-produce the responses to serious violence",
        "Co-produce the responses to serious violence, including the Response Strategy, with a range of "
        "partners, including the voluntary community sector (VCSE) and local communities, especially "
        "children and young people most affected by serious violence.  With a focus on, communicating and "
        "embedding an understanding of the need for a Public Health and Trauma Informed Approach in all "
        "member agencies in support of the Trauma Informed Execute Board.",
    ),
    (
        "1.d",
        TheoryOfChangeActivity.Kind.ACTIVITY,
        "Create a plan for sustainability",
        "Create a plan for sustainability with the aim of identifying opportunities for long-term system "
        "change and to create an environment in which the VRP can exist without dependency on central "
        "funding.",
    ),
    (
        "F1",
        TheoryOfChangeActivity.Kind.FUNCTION,
        "VRU Core Group",
        "Carry out the functions of the ‘VRU Core Group’ (as defined in the VRU Grant Agreement).",
    ),
    (
        "F2",
        TheoryOfChangeActivity.Kind.FUNCTION,
        "VRU Delivery Plan",
        "Oversee the VRU Delivery Plan.",
    ),
    (
        "F3",
        TheoryOfChangeActivity.Kind.FUNCTION,
        "SVD Grant Delivery Plan",
        "Oversee the SVD Grant Delivery Plan.",
    ),
    (
        "F4",
        TheoryOfChangeActivity.Kind.FUNCTION,
        "Co-location and secondments",
        "Explore opportunities for co-location of teams and secondments between organisations.",
    ),
)

TOR_VERSION = "1.0"
TOR_SUMMARY = (
    "Loaded from the Terms of Reference document. The document records neither a version number nor "
    "the date or meeting at which it was approved: the portal numbers it 1.0, and its approval date "
    "was not recorded in the source."
)


def load_organisations() -> str:
    created = 0
    for agency in AGENCIES:
        slug = slugify(agency.name)
        if Organisation.objects.filter(Q(slug=slug) | Q(name=agency.name)).exists():
            continue
        organisation = Organisation(
            name=agency.name,
            slug=slug,
            short_name=agency.short_name,
            sector=agency.sector,
            duty_status=agency.duty_status,
            tor_description=agency.tor_description,
        )
        organisation.is_reference = True
        organisation.full_clean()
        organisation.save()
        created += 1
    return f"Organisations: {created} created, {len(AGENCIES) - created} already present."


def load_groups() -> str:
    created = 0
    svrp, was_created = _group(SVRP, parent=None)
    created += was_created
    for spec in SUBGROUPS:
        created += _group(spec, parent=svrp)[1]
    total = 1 + len(SUBGROUPS)
    return f"Groups: {created} created, {total - created} already present."


def _group(spec: GroupSpec, parent: PartnershipGroup | None) -> tuple[PartnershipGroup, bool]:
    existing = PartnershipGroup.objects.filter(short_name=spec.short_name).first()
    if existing is not None:
        return existing, False
    group = PartnershipGroup(
        name=spec.name,
        short_name=spec.short_name,
        slug=spec.slug,
        kind=spec.kind,
        parent=parent,
        description=spec.description,
        acts_as_vru_core_group=spec.acts_as_vru_core_group,
        order=spec.order,
    )
    group.full_clean()
    group.save()
    return group, True


def load_seats() -> str:
    """The ToR's seats on the SVRP, in the ToR's order: vacant until someone holds them."""
    svrp = PartnershipGroup.objects.filter(short_name=SVRP.short_name).first()
    if svrp is None:
        return "Seats: no SVRP group, none created."
    organisations = {o.slug: o for o in Organisation.objects.all()}
    # An authority whose ToR seats were loaded once is the administrators' from then on: a seat they
    # renamed or archived does not come back.
    loaded = set(Seat.objects.filter(group=svrp, is_reference=True).values_list("organisation_id", flat=True))
    created = total = 0
    for agency in AGENCIES:
        organisation = (
            organisations.get(slugify(agency.name)) or Organisation.objects.filter(name=agency.name).first()
        )
        if organisation is None:
            continue
        for title in agency.seats:
            total += 1
            if organisation.pk in loaded:
                continue
            seat = Seat(group=svrp, organisation=organisation, title=title, order=total)
            seat.is_reference = True
            seat.full_clean()
            seat.save()
            created += 1
    return f"Seats: {created} created, {total - created} already present."


def load_theory_of_change() -> str:
    created = 0
    existing = set(TheoryOfChangeActivity.objects.values_list("code", flat=True))
    for order, (code, kind, title, text) in enumerate(TOC, start=1):
        if code in existing:
            continue
        activity = TheoryOfChangeActivity(code=code, kind=kind, title=title, description=text, order=order)
        activity.full_clean()
        activity.save()
        created += 1
    return f"Theory of Change: {created} created, {len(TOC) - created} already present."


def load_terms_of_reference() -> str:
    """The ToR document as version 1.0, approved (date not recorded), with its sections verbatim.

    Nothing is loaded once the SVRP has any version: later versions are the users' to make.
    """
    svrp = PartnershipGroup.objects.filter(short_name=SVRP.short_name).first()
    if svrp is None:
        return "Terms of Reference: no SVRP group, nothing loaded."
    if TermsOfReference.objects.filter(group=svrp).exists():
        return "Terms of Reference: already present."
    terms = TermsOfReference(
        group=svrp,
        version=TOR_VERSION,
        status=TermsOfReference.Status.APPROVED,
        approved_on=None,
        summary_of_changes=TOR_SUMMARY,
    )
    terms.full_clean()
    terms.save()
    found = sections()
    TermsOfReferenceSection.objects.bulk_create(
        TermsOfReferenceSection(terms=terms, order=s.order, heading=s.heading, body=s.body, notes=s.notes)
        for s in found
    )
    return f"Terms of Reference: version {TOR_VERSION} created with {len(found)} sections."
