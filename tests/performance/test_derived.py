from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from governance.models import Attendance, DutyStatus, Meeting, PartnershipGroup
from governance.quarters import FinancialQuarter
from performance import services
from performance.derived import survey_understanding, svrp_attendance
from performance.models import Period, SurveyResponse

from . import factories

pytestmark = pytest.mark.django_db

Q1 = FinancialQuarter(2026, 1)


@pytest.fixture
def authorities(db):
    names = ["Hampshire Fire and Rescue Service", "Portsmouth City Council", "Probation Service", "NHS ICB"]
    orgs = [factories.organisation(name) for name in names]
    factories.organisation("A charity", duty=DutyStatus.NONE)
    return orgs


def test_attendance_counts_an_authority_present_or_deputised_but_not_one_sending_apologies(authorities):
    fire, council, probation, icb = authorities
    at = factories.meeting(dt.date(2026, 5, 14))
    factories.attend(at, factories.person("Fiona Fire", fire), Attendance.Status.PRESENT)
    factories.attend(at, factories.person("Colin Council", council), Attendance.Status.DEPUTY)
    factories.attend(at, factories.person("Pat Probation", probation), Attendance.Status.APOLOGIES)
    factories.attend(at, factories.person("Ivy ICB", icb), Attendance.Status.ABSENT)

    value = svrp_attendance([Q1])[Q1]

    assert value.value == 2
    assert value.denominator == 4
    assert value.detail == "2 of 4 authorities"


def test_an_authority_at_two_meetings_in_the_quarter_counts_once_and_other_groups_do_not_count(authorities):
    fire, council, probation, _ = authorities
    charity = factories.organisation("A charity")
    fiona = factories.person("Fiona Fire", fire)
    factories.attend(factories.meeting(dt.date(2026, 4, 10)), fiona, Attendance.Status.PRESENT)
    second = factories.meeting(dt.date(2026, 6, 20))
    factories.attend(second, fiona, Attendance.Status.PRESENT)
    factories.attend(second, factories.person("Charity Chief", charity), Attendance.Status.PRESENT)
    cancelled = factories.meeting(dt.date(2026, 6, 1), status=Meeting.Status.CANCELLED)
    factories.attend(cancelled, factories.person("Colin Council", council), Attendance.Status.PRESENT)
    subgroup = PartnershipGroup.objects.create(
        name="Data and Analysis Working Group",
        short_name="DAWG",
        slug="dawg",
        kind=PartnershipGroup.Kind.SUBGROUP,
        parent=factories.svrp(),
    )
    factories.attend(
        factories.meeting(dt.date(2026, 5, 1), group=subgroup),
        factories.person("Pat Probation", probation),
        Attendance.Status.PRESENT,
    )
    next_quarter = factories.meeting(dt.date(2026, 7, 1))
    factories.attend(next_quarter, factories.person("Colin Two", council), Attendance.Status.PRESENT)

    found = svrp_attendance([Q1, Q1.next()])

    assert found[Q1].value == 1
    assert found[Q1.next()].value == 1


def test_understanding_is_the_share_of_good_and_full_ratings_with_responses_and_authorities(
    framework, authorities, vru_staff, make_user
):
    from core.roles import Role

    fire, council, probation, _ = authorities
    members = []
    for name, org in (("Fiona", fire), ("Colin", council), ("Carla", council), ("Pat", probation)):
        user = make_user(Role.BOARD_MEMBER, username=name.lower())
        members.append((user, factories.person(name, org, user=user)))
        factories.board_seat(members[-1][1])
    survey = services.survey_round_open(
        acting_user=vru_staff, period=Period.objects.for_quarter(Q1).get(), closes_on=dt.date(2026, 9, 30)
    )
    assert survey.invitations.count() == 4
    aspects = list(survey.aspects.all())
    assert len(aspects) == 6
    ratings = {
        "fiona": ["full", "good", "good", "some", "limited", "none"],  # 3 good or full
        "colin": ["good"] * 6,  # 6
        "carla": ["some"] * 5 + ["full"],  # 1
    }
    for user, who in members:
        if user.username in ratings:
            invitation = survey.invitations.get(person=who)
            services.survey_respond(
                acting_user=user,
                invitation=invitation,
                ratings={a.pk: r for a, r in zip(aspects, ratings[user.username], strict=True)},
            )

    value = survey_understanding([Q1])[Q1]

    assert SurveyResponse.objects.count() == 18
    assert value.value == Decimal("55.6")  # 10 of 18
    assert value.detail == "10 of 18 ratings; 3 responses from 2 authorities"
