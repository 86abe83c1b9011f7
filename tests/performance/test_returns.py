"""The data returns page: VRU staff see which of a quarter's returns are in, in progress, missing or late."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils.text import slugify

from core.roles import Role
from governance.models import Organisation, Person, Reminder
from governance.quarters import FinancialQuarter
from performance.completeness import ReturnStatus, returns_progress
from performance.cycle import late_returns, period_open
from performance.models import Figure, Measure, Period
from performance.reference import CONSTABULARY, ICB
from performance.selectors import measures_due
from performance.tasks import remind_figures

from . import factories
from .conftest import COLLECTING

pytestmark = pytest.mark.django_db

URL = "/performance/returns/"
COUNCIL = "Portsmouth City Council"
BEFORE_DEADLINE = dt.datetime(2026, 7, 20, 9, tzinfo=dt.UTC)  # 2026/27 Q1 figures are due by 31 July
AFTER_DEADLINE = dt.datetime(2026, 8, 15, 9, tzinfo=dt.UTC)


def open_collecting_quarter() -> Period:
    """What beat's daily task does: open 2026/27 Q1 and expect a return from each data source."""
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, tzinfo=dt.UTC), tick=False):
        period, _created = period_open(today=dt.date(2026, 7, 1))
    return period


@pytest.fixture
def three_sources(framework, constabulary, icb, council):
    """The ICB (1.1.1.a), the Constabulary (1.1.1.b, 1.1.1.d) and a council (1.1.1.c), each owing a
    return for 2026/27 Q1."""
    Measure.objects.filter(code="1.1.1.c").update(data_source=council)
    return open_collecting_quarter()


def submit(code: str, status: str = Figure.Status.SUBMITTED, area: str = "hips") -> Figure:
    return factories.figure(code, COLLECTING, 12, status=status, area=area)


def rows(response) -> dict[str, str]:
    """The returns table: organisation -> the text of its row, spaces collapsed."""
    page = response.content.decode()
    body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    found = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S):
        text = re.sub(r" ,", ",", " ".join(re.sub(r"<[^>]+>", " ", row).split()))
        name = re.search(r'<th scope="row" class="govuk-table__header">(.*?)</th>', row, re.S)
        assert name is not None
        found[name.group(1).strip()] = text
    return found


# Who may see it ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.VRU_STAFF, 200),
        (Role.BOARD_MEMBER, 403),
        (Role.SUBGROUP_CHAIR, 403),
        (Role.DATA_PROVIDER, 403),
        (Role.ADMINISTRATOR, 403),
    ],
)
def test_only_vru_staff_see_the_data_returns_page(client, make_user, three_sources, role, status):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == status


def test_an_administrator_without_the_vru_staff_role_is_refused(client, administrator, three_sources):
    client.force_login(administrator)  # a superuser, in the Administrator group only
    assert client.get(URL).status_code == 403


def test_a_signed_in_user_without_a_role_is_refused(client, make_user, three_sources):
    client.force_login(make_user())
    assert client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, three_sources):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("role", "shown"), [(Role.VRU_STAFF, True), (Role.BOARD_MEMBER, False)])
def test_the_performance_sub_navigation_offers_data_returns_to_vru_staff_only(
    client, make_user, framework, role, shown
):
    client.force_login(make_user(role))
    for page in ("/performance/", "/performance/survey/", "/performance/grants/"):
        assert (f'href="{URL}"' in client.get(page).content.decode()) is shown, page


def test_vru_staffs_home_panel_about_figures_to_verify_links_the_returns(
    client, vru_staff, provider, framework
):
    client.force_login(vru_staff)
    assert f'href="{URL}"' in client.get("/").content.decode()
    client.force_login(provider)
    assert f'href="{URL}"' not in client.get("/").content.decode()


# What it says ---------------------------------------------------------------------------------------


def test_before_the_deadline_returns_are_complete_in_progress_or_not_started(
    client, vru_staff, three_sources
):
    submit("1.1.1.a", Figure.Status.VERIFIED)  # the ICB: its one measure verified
    submit("1.1.1.b")  # the Constabulary: one of two measures submitted, the other a draft
    submit("1.1.1.d", Figure.Status.DRAFT)
    client.force_login(vru_staff)
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    found = rows(response)
    assert list(found) == [CONSTABULARY, ICB, COUNCIL]  # by name
    assert "Complete" in found[ICB] and "1 of 1 1 of 1 31 July 2026" in found[ICB]
    assert "In progress Missing: 1.1.1.d" in found[CONSTABULARY]
    assert "1.1.1.b, 1.1.1.d 1 of 2 0 of 2 31 July 2026" in found[CONSTABULARY]
    assert "Not started Missing: 1.1.1.c" in found[COUNCIL] and "0 of 1 0 of 1" in found[COUNCIL]
    assert '<h1 class="govuk-heading-xl">Data returns, 2026/27 Q1</h1>' in response.content.decode()


def test_after_the_deadline_incomplete_returns_are_late_and_complete_ones_stay_complete(
    client, vru_staff, three_sources
):
    submit("1.1.1.a", Figure.Status.VERIFIED)
    submit("1.1.1.a", Figure.Status.SUBMITTED, area="hampshire")  # reported, not all verified yet
    submit("1.1.1.b")
    client.force_login(vru_staff)
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        response = client.get(URL)
    found = rows(response)
    assert "Complete" in found[ICB] and "1 of 1 0 of 1" in found[ICB]
    assert "Late Missing: 1.1.1.d" in found[CONSTABULARY]
    assert "Late Missing: 1.1.1.c" in found[COUNCIL]  # never started, and now late
    page = " ".join(response.content.decode().split())
    assert "3 returns are expected, due by 31 July 2026" in page
    assert '2 <strong class="govuk-tag govuk-tag--red">Late</strong>' in page
    assert '1 <strong class="govuk-tag govuk-tag--green">Complete</strong>.' in page


def test_the_last_reminder_or_chase_sent_about_each_return_is_shown(
    client, vru_staff, three_sources, make_user
):
    council = Organisation.objects.get(name=COUNCIL)
    Person.objects.create(
        full_name="Paula Analyst",
        organisation=council,
        user=make_user(Role.DATA_PROVIDER, username="paula", email="paula@portsmouth.example"),
    )
    submit("1.1.1.a")
    with time_machine.travel(dt.datetime(2026, 7, 17, 7, tzinfo=dt.UTC), tick=False):
        remind_figures.delay()  # 14 days before the deadline: the council is reminded
    with time_machine.travel(dt.datetime(2026, 8, 1, 7, tzinfo=dt.UTC), tick=False):
        remind_figures.delay()  # the day after it: the council is chased
    assert {m.to[0] for m in mail.outbox} >= {"paula@portsmouth.example"}
    client.force_login(vru_staff)
    found = rows(client.get(URL))
    assert found[COUNCIL].endswith("Chased 1 August 2026")
    assert found[ICB].endswith("Not yet")  # complete before any reminder was due
    assert found[CONSTABULARY].endswith("Not yet")  # nobody at the Constabulary to remind


def test_a_quarter_that_expects_no_returns_yet_says_so(client, vru_staff, framework):
    client.force_login(vru_staff)
    page = client.get(URL).content.decode()
    assert "No data returns are expected for 2026/27 Q1 yet" in page


# The quarter picker ---------------------------------------------------------------------------------


def test_an_earlier_quarter_is_chosen_from_the_picker(client, vru_staff, three_sources):
    with time_machine.travel(dt.datetime(2026, 4, 2, 6, tzinfo=dt.UTC), tick=False):
        earlier, _ = period_open(today=dt.date(2026, 4, 2))  # 2025/26 Q4, due by 30 April 2026
    factories.figure("1.1.1.c", FinancialQuarter(2025, 4), 1)
    client.force_login(vru_staff)
    response = client.get(URL)
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', response.content.decode())
    assert options == [("2026-27-q1", " selected", "2026/27 Q1"), ("2025-26-q4", "", "2025/26 Q4")]
    response = client.get(URL, {"quarter": earlier.slug})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Data returns, 2025/26 Q4" in page and "30 April 2026" in page
    assert "Complete" in rows(response)[COUNCIL]


@pytest.mark.parametrize("bad", ["next tuesday", "2025-26-q9", "2019-20-q1", ""])
def test_a_quarter_not_offered_is_a_clear_error_not_a_crash(client, vru_staff, three_sources, bad):
    client.force_login(vru_staff)
    response = client.get(URL, {"quarter": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Data returns – SVRP Portal</title>" in page
    assert "There is a problem" in page
    assert "Choose a quarter" in page and 'aria-describedby="id_quarter-error"' in page
    assert '<tbody class="govuk-table__body">' not in page  # no table of another quarter passed off


# Queries ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("organisations", [3, 15])
def test_the_page_reads_a_fixed_number_of_queries_however_many_organisations(
    client, vru_staff, framework, django_assert_num_queries, organisations
):
    outcome = Measure.objects.first().outcome  # type: ignore[union-attr]
    for n in range(organisations):
        source = factories.organisation(f"Source {n:02d}")
        for letter in "ab":
            measure = Measure.objects.create(
                code=f"9.{n}.1.{letter}",
                text="A measure for the test.",
                short_title=f"Measure {n} {letter}",
                outcome=outcome,
                data_source=source,
            )
            if letter == "a":
                factories.figure(measure, COLLECTING, n, status=Figure.Status.SUBMITTED)
    period = open_collecting_quarter()
    for data_return in period.returns.all():
        Reminder.objects.create(
            kind=Reminder.Kind.FIGURES_LATE,
            object_key=data_return.reminder_key,
            recipient=f"{slugify(data_return.organisation.name)}@example.org",
            for_date=dt.date(2026, 8, 1),
            sent_at=dt.datetime(2026, 8, 1, 7, tzinfo=dt.UTC),
        )
    client.force_login(vru_staff)
    client.get(URL)  # warm the session
    # Session, user, groups, the session save in a savepoint (6); the quarters offered, the period,
    # its returns, their measures' progress, the latest reminders (5).
    with django_assert_num_queries(11):
        response = client.get(URL)
    found = rows(response)
    assert len(found) == organisations + 2  # and the ICB and the Constabulary from the framework
    assert all(
        text.endswith("Chased 1 August 2026") for name, text in found.items() if name.startswith("Source")
    )


# The one rule the cycle, the home panel and the page share -------------------------------------------


def test_the_cycle_the_home_panel_and_the_page_agree_on_what_is_missing(three_sources, constabulary):
    submit("1.1.1.b")
    submit("1.1.1.d", Figure.Status.DRAFT)  # a draft is not a return
    period = three_sources
    [constabulary_progress] = [
        p for p in returns_progress(period) if p.data_return.organisation == constabulary
    ]
    assert [m.code for m in constabulary_progress.missing] == ["1.1.1.d"]
    assert [m.code for m in measures_due(organisation_id=constabulary.pk, period=period)] == ["1.1.1.d"]
    late = {
        item.data_return.organisation.name: [m.code for m in item.missing] for item in late_returns(period)
    }
    assert late == {CONSTABULARY: ["1.1.1.d"], ICB: ["1.1.1.a"], COUNCIL: ["1.1.1.c"]}
    assert constabulary_progress.status(dt.date(2026, 8, 1)) == ReturnStatus.LATE
    assert constabulary_progress.status(dt.date(2026, 7, 31)) == ReturnStatus.IN_PROGRESS
    assert (constabulary_progress.reported, constabulary_progress.expected) == (1, 2)
