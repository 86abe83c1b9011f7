from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.roles import Role
from governance.quarters import FinancialQuarter
from performance.models import Area, Figure, Grant, Measure, Period, SurveyResponse

from . import factories
from .conftest import COLLECTING

pytestmark = pytest.mark.django_db

PAGES = ["/performance/", "/performance/measures/1.1.1.a/", "/performance/survey/", "/performance/grants/"]
ROLES = [Role.VRU_STAFF, Role.BOARD_MEMBER, Role.SUBGROUP_CHAIR, Role.DATA_PROVIDER, Role.ADMINISTRATOR]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_every_role_reads_the_framework_pages(client, make_user, framework, role, path):
    client.force_login(make_user(role))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", [*PAGES, "/performance/submit/", "/performance/export.csv"])
def test_anonymous_visitors_are_sent_to_sign_in(client, framework, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_signed_in_user_without_a_role_is_refused(client, make_user, framework):
    client.force_login(make_user())
    assert client.get("/performance/").status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DATA_PROVIDER, 200),
        (Role.VRU_STAFF, 200),
        (Role.BOARD_MEMBER, 403),
        (Role.SUBGROUP_CHAIR, 403),
        (Role.ADMINISTRATOR, 403),
    ],
)
def test_only_data_providers_and_vru_staff_use_the_submit_page(client, make_user, framework, role, status):
    client.force_login(make_user(role))
    assert client.get("/performance/submit/").status_code == status


def test_measure_addresses_keep_the_dots_of_the_code(client, board_member, framework):
    assert reverse("performance:measure", args=["1.1.1.a"]) == "/performance/measures/1.1.1.a/"
    client.force_login(board_member)
    assert client.get("/performance/measures/9.9.9.z/").status_code == 404


def test_the_data_provider_submits_a_figure_by_form(client, provider, framework):
    client.force_login(provider)
    period = factories.period(COLLECTING)
    response = client.post(
        "/performance/submit/",
        {
            "measure": framework["1.1.1.d"].pk,
            "period": period.pk,
            "area": framework["1.1.1.d"].figures.model.area.field.related_model.objects.get(code="hips").pk,
            "age_band": "all",
            "value": "1750",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert Figure.objects.get().status == Figure.Status.SUBMITTED


def test_the_form_refuses_another_organisations_measure(client, provider, framework):
    client.force_login(provider)
    response = client.post(
        "/performance/submit/",
        {
            "measure": framework["1.1.1.a"].pk,
            "period": factories.period(COLLECTING).pk,
            "area": 1,
            "age_band": "all",
            "value": "3",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Figure.objects.exists()


def test_an_upload_with_a_bad_row_shows_each_error_and_saves_nothing(client, provider, framework):
    client.force_login(provider)
    data = io.BytesIO(
        b"measure,period,area,age_band,value\n"
        b"1.1.1.d,2026/27 Q1,hips,all,1800\n"
        b"1.1.1.d,2026/27 Q1,Gosport,all,9\n"
    )
    data.name = "figures.csv"
    response = client.post("/performance/submit/upload/", {"file": data})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "Row 3, column “area”" in page
    assert not Figure.objects.exists()


def test_the_template_lists_the_providers_own_measures_for_each_area(client, provider, framework):
    client.force_login(provider)
    response = client.get("/performance/submit/template.csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:5] == ["measure", "period", "area", "age_band", "value"]
    assert {r[0] for r in rows[1:]} == {"1.1.1.b", "1.1.1.c", "1.1.1.d"}
    assert {r[1] for r in rows[1:]} == {"2026/27 Q1"}


def test_vru_staff_verify_a_quarter_and_a_data_provider_cannot(client, provider, vru_staff, framework):
    figure = factories.figure("1.1.1.b", COLLECTING, 150, status=Figure.Status.SUBMITTED)
    client.force_login(provider)
    assert client.post("/performance/verify/", {"period": figure.period_id}).status_code == 403
    client.force_login(vru_staff)
    assert client.post("/performance/verify/", {"period": figure.period_id}).status_code == 302
    figure.refresh_from_db()
    assert figure.status == Figure.Status.VERIFIED


@pytest.mark.parametrize("hostile", ["9" * 400, "٣", "²", "-1", "x"])
def test_verifying_with_a_hostile_figure_or_period_is_not_found_and_verifies_nothing(
    client, vru_staff, framework, hostile
):
    figure = factories.figure("1.1.1.b", COLLECTING, 150, status=Figure.Status.SUBMITTED)
    client.force_login(vru_staff)
    for field in ("figure", "period"):
        assert client.post("/performance/verify/", {field: hostile}).status_code == 404
    figure.refresh_from_db()
    assert figure.status == Figure.Status.SUBMITTED


def test_vru_staff_lock_a_period_and_correct_a_figure_in_it(client, vru_staff, board_member, framework):
    figure = factories.figure("1.1.1.c", COLLECTING, 2)
    client.force_login(board_member)
    assert client.post(f"/performance/periods/{COLLECTING.slug}/lock/").status_code == 403
    client.force_login(vru_staff)
    client.post(f"/performance/periods/{COLLECTING.slug}/lock/")
    response = client.post(
        f"/performance/figures/{figure.pk}/correct/", {"new_value": "3", "reason": "Reclassified."}
    )
    assert response.status_code == 302
    page = client.get("/performance/measures/1.1.1.c/").content.decode()
    assert "Reclassified." in page


def test_vru_staff_read_a_figures_history_on_its_page_with_who_entered_and_verified_it(
    client, provider, vru_staff, framework
):
    period = factories.period(COLLECTING)
    client.force_login(provider)
    client.post(
        "/performance/submit/",
        {
            "measure": framework["1.1.1.d"].pk,
            "period": period.pk,
            "area": Area.objects.get(code="hips").pk,
            "age_band": "all",
            "value": "1750",
            "action": "submit",
        },
    )
    client.force_login(vru_staff)
    client.post("/performance/verify/", {"period": period.pk})
    client.post(f"/performance/periods/{COLLECTING.slug}/lock/")
    figure = Figure.objects.get()
    page = client.get(f"/performance/figures/{figure.pk}/correct/").content.decode()
    assert "History of this figure" in page
    assert provider.get_username() in page and vru_staff.get_username() in page


def test_the_dashboard_shows_small_counts_to_the_board_and_stars_to_a_subgroup_chair(
    client, board_member, subgroup_chair, framework
):
    for quarter, value in ((COLLECTING.previous(), 5), (COLLECTING, 3)):
        factories.figure("1.1.1.c", quarter, value)
    client.force_login(board_member)
    page = client.get("/performance/measures/1.1.1.c/").content.decode()
    assert ">3<" in page.replace("\n", "")
    client.force_login(subgroup_chair)
    chair_page = client.get("/performance/").content.decode()
    assert "Counts from 1 to 7 are shown as *" in chair_page
    assert "-2 (-40.0%)" not in chair_page


def test_the_cached_dashboard_and_measure_page_show_a_new_figure_at_once_and_keep_small_counts_from_the_chair(
    client, board_member, subgroup_chair, framework
):
    """Both pages are rendered once per content version and per small-number rule, not per viewer."""

    def cells(path: str) -> list[str]:
        page = client.get(path).content.decode()
        return re.findall(r'govuk-table__cell--numeric">\s*(.*?)\s*</td>', page, re.S)

    factories.figure("1.1.1.c", COLLECTING.previous(), 5)
    client.force_login(board_member)
    for path in ("/performance/", "/performance/measures/1.1.1.c/"):
        assert "5" in cells(path) and "3" not in cells(path), path
    factories.figure("1.1.1.c", COLLECTING, 3)
    for path in ("/performance/", "/performance/measures/1.1.1.c/"):
        assert "3" in cells(path), path
    client.force_login(subgroup_chair)
    for path in ("/performance/", "/performance/measures/1.1.1.c/"):
        shown = cells(path)
        assert "3" not in shown and "5" not in shown, path
        assert any("app-suppressed" in cell for cell in shown), path


def test_the_dashboard_compares_the_latest_quarter_with_the_last_and_the_same_one_a_year_ago(
    client, board_member, framework
):
    measure = Measure.objects.get(code="1.1.1.d")
    measure.target = Decimal(1000)
    measure.save()
    for back, value in enumerate([1100, 1000, 900, 800, 1200]):
        factories.figure("1.1.1.d", COLLECTING.minus(back), value)
    client.force_login(board_member)
    summary = next(s for s in client.get("/performance/").context["summaries"] if s.measure.code == "1.1.1.d")
    assert summary.latest.value == 1100
    assert summary.change_previous.display == "+100 (+10.0%)"
    assert summary.change_year.display == "-100 (-8.3%)"
    assert summary.rolling_year.display == "3,800"
    assert summary.rag == "amber"


def test_the_dashboard_shows_only_verified_figures(client, board_member, framework):
    factories.figure("1.1.1.b", COLLECTING, 150, status=Figure.Status.SUBMITTED)
    client.force_login(board_member)
    summary = next(s for s in client.get("/performance/").context["summaries"] if s.measure.code == "1.1.1.b")
    assert summary.latest is None


def test_every_chart_is_an_accessible_svg_without_inline_styles(client, board_member, framework):
    factories.figure("1.1.1.b", COLLECTING, 150)
    Grant.objects.create(kind=Grant.Kind.VRU, year=2026, allocation=1000000)
    client.force_login(board_member)
    for path in ("/performance/", "/performance/measures/1.1.1.b/", "/performance/grants/"):
        page = client.get(path).content.decode()
        assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
        assert "style=" not in page


@pytest.mark.parametrize("quarters", [2, 40])
def test_the_dashboard_query_count_does_not_grow_with_quarters_of_data(
    client, board_member, framework, django_assert_num_queries, quarters
):
    for back in range(quarters):
        quarter = COLLECTING.minus(back)
        for code in ("1.1.1.a", "1.1.1.b", "1.1.1.c", "1.1.1.d"):
            for area in ("hampshire", "hips"):
                factories.figure(code, quarter, 10 + back, area=area)
    client.force_login(board_member)
    client.get("/performance/")  # warm the session
    cache.clear()  # the measures' section is cached per content version: measure it built afresh
    # Session, user and groups, the session save (3 + 3); the version of what the measures read;
    # measures, figures, survey; then, apart, the measure derived from attendance: its version,
    # measures, N, attendance.
    with django_assert_num_queries(14):
        response = client.get("/performance/")
    assert response.content.decode().count("govuk-table__row") >= min(quarters, 8)  # eight quarters shown
    # Cached: the session, user, groups, the two fragments' versions and session save (in a savepoint).
    with django_assert_num_queries(8):
        again = client.get("/performance/")
    assert _main(again) == _main(response)


@pytest.mark.parametrize("quarters", [2, 40])
def test_the_measure_page_query_count_does_not_grow_with_quarters_of_data(
    client, board_member, framework, django_assert_num_queries, quarters
):
    for back in range(quarters):
        for area in ("hampshire", "portsmouth", "hips"):
            factories.figure("1.1.1.a", COLLECTING.minus(back), 10 + back, area=area)
    client.force_login(board_member)
    client.get("/performance/")  # warm the session
    cache.clear()
    with django_assert_num_queries(11):
        response = client.get("/performance/measures/1.1.1.a/")
    assert response.content.decode().count("govuk-table__row") >= min(quarters, 8)  # eight quarters shown
    # Cached: the session, user, groups, the measure, the content version and the session save.
    with django_assert_num_queries(8):
        again = client.get("/performance/measures/1.1.1.a/")
    assert _main(again) == _main(response)


def test_the_publication_export_suppresses_small_counts_and_the_next_smallest_area(
    client, board_member, framework
):
    for area, value in (
        ("hampshire", 40),
        ("isle-of-wight", 3),
        ("portsmouth", 12),
        ("southampton", 15),
        ("hips", 70),
    ):
        factories.figure("1.1.1.b", COLLECTING, value, area=area)
    client.force_login(board_member)
    response = client.get("/performance/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "measure",
        "period",
        "age_band",
        "Hampshire",
        "Isle of Wight",
        "Portsmouth",
        "Southampton",
        "HIPS total",
    ]
    assert rows[1] == ["1.1.1.b", "2026/27 Q1", "all", "40", "*", "*", "15", "70"]


def test_an_invited_board_member_answers_the_survey_in_the_browser(
    client, board_member, vru_staff, framework, council
):
    factories.board_seat(factories.person("Bea Member", council, user=board_member))
    client.force_login(vru_staff)
    response = client.post(
        "/performance/survey/",
        {
            "period": factories.period(COLLECTING).pk,
            "closes_on_0": "30",
            "closes_on_1": "9",
            "closes_on_2": "2026",
        },
    )
    assert response.status_code == 302
    client.force_login(board_member)
    page = client.get("/performance/survey/").content.decode()
    assert "Answer the survey for 2026/27 Q1" in page
    invitation = board_member.person.survey_invitations.get()
    form = client.get(f"/performance/survey/invitations/{invitation.pk}/").context["form"]
    answers = dict.fromkeys(form.fields, "full")
    incomplete = client.post(
        f"/performance/survey/invitations/{invitation.pk}/", {**answers, list(answers)[0]: ""}
    )
    assert incomplete.status_code == 400 and not SurveyResponse.objects.exists()
    assert client.post(f"/performance/survey/invitations/{invitation.pk}/", answers).status_code == 302
    assert SurveyResponse.objects.filter(rating="full").count() == 6


def test_a_board_member_cannot_answer_another_members_invitation(
    client, board_member, make_user, vru_staff, framework, council
):
    other = make_user(Role.BOARD_MEMBER, username="other")
    factories.board_seat(factories.person("Olga Other", council, user=other))
    factories.person("Bea Member", council, user=board_member)
    client.force_login(vru_staff)
    client.post(
        "/performance/survey/",
        {
            "period": factories.period(COLLECTING).pk,
            "closes_on_0": "30",
            "closes_on_1": "9",
            "closes_on_2": "2026",
        },
    )
    invitation = other.person.survey_invitations.get()
    client.force_login(board_member)
    assert client.get(f"/performance/survey/invitations/{invitation.pk}/").status_code == 404


def test_the_grants_page_shows_spend_against_allocation_and_the_underspend(
    client, board_member, vru_staff, framework
):
    grant = Grant.objects.create(kind=Grant.Kind.VRU, year=2026, allocation=1000000)
    client.force_login(vru_staff)
    response = client.post(
        "/performance/grants/return/",
        {
            "grant": grant.pk,
            "period": factories.period(COLLECTING).pk,
            "category": "labour",
            "forecast": "250000",
            "actual": "200000",
        },
    )
    assert response.status_code == 302
    client.force_login(board_member)
    assert client.get("/performance/grants/return/").status_code == 403
    summary = client.get("/performance/grants/?year=2026").context["summaries"][0]
    assert (summary.spent, summary.underspend, summary.variance_to_date) == (200000, 800000, -50000)


def test_home_panels_show_figures_due_to_a_provider_and_figures_to_verify_to_staff(
    client, provider, vru_staff, framework
):
    factories.figure("1.1.1.b", COLLECTING, 150, status=Figure.Status.SUBMITTED)
    client.force_login(provider)
    page = client.get("/").content.decode()
    assert "Figures due" in page and "1.1.1.c" in page and "1.1.1.d" in page
    assert "1.1.1.b Police" not in page and "31 July 2026" in page
    client.force_login(vru_staff)
    page = client.get("/").content.decode()
    assert "1 submitted figure is waiting to be verified" in page


@pytest.mark.parametrize(("role", "shown"), [(Role.DATA_PROVIDER, True), (Role.BOARD_MEMBER, False)])
def test_submit_figures_is_in_the_navigation_for_providers_and_staff_only(
    client, make_user, framework, role, shown
):
    client.force_login(make_user(role))
    page = client.get("/").content.decode()
    assert ('href="/performance/submit/"' in page) is shown
    assert 'href="/performance/"' in page
    assert FinancialQuarter.of(COLLECTING.end) == COLLECTING


def _main(response) -> str:
    """The page's main content (the header's sign-out form has a CSRF token masked afresh each time)."""
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_locking_a_quarter_asks_first_saying_what_stays_unverified_or_missing(client, vru_staff, framework):
    factories.figure("1.1.1.c", COLLECTING, 2, status=Figure.Status.SUBMITTED)
    client.force_login(vru_staff)
    page = client.get(f"/performance/periods/{COLLECTING.slug}/lock/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "What will happen" in text and "What stays unverified or missing" in text
    assert "1 figure" in text and "1.1.1.c" in text
    period = Period.objects.get(year=COLLECTING.year, quarter=COLLECTING.quarter)
    assert not period.is_locked  # asking locks nothing
    client.post(f"/performance/periods/{COLLECTING.slug}/lock/")
    period.refresh_from_db()
    assert period.is_locked


def test_a_quarter_not_yet_ended_cannot_be_locked_nor_is_lock_offered(client, vru_staff, framework):
    current = COLLECTING.next()
    period = factories.period(current)
    factories.period(COLLECTING)
    client.force_login(vru_staff)
    submit_page = client.get("/performance/submit/").content.decode()
    assert f"Lock {COLLECTING.label}" in submit_page
    assert f"Lock {current.label}" not in submit_page
    page = client.get(f"/performance/periods/{current.slug}/lock/").content.decode()
    assert "has not ended yet" in page
    client.post(f"/performance/periods/{current.slug}/lock/")
    period.refresh_from_db()
    assert not period.is_locked


@pytest.mark.parametrize("role", ["board_member", "subgroup_chair", "data_provider", "administrator"])
def test_only_vru_staff_see_the_lock_confirmation(request, client, framework, role):
    factories.period(COLLECTING)
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"/performance/periods/{COLLECTING.slug}/lock/").status_code == 403


def test_a_hips_total_not_the_sum_of_its_areas_is_flagged_to_the_provider_and_the_verifier(
    client, provider, vru_staff, framework
):
    # The four areas sum to 1,730; the provider then enters a HIPS total of 9,999.
    for area, value in (
        ("hampshire", 1000),
        ("isle-of-wight", 130),
        ("portsmouth", 300),
        ("southampton", 300),
    ):
        factories.figure("1.1.1.d", COLLECTING, value, area=area, status=Figure.Status.SUBMITTED)
    period = factories.period(COLLECTING)
    client.force_login(provider)
    measure = Measure.objects.get(code="1.1.1.d")
    response = client.post(
        "/performance/submit/",
        {
            "measure": measure.pk,
            "period": period.pk,
            "area": Area.objects.get(code="hips").pk,
            "age_band": "all",
            "value": "9999",
            "action": "submit",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "differs from the sum of the four areas by +8,269" in text
    client.force_login(vru_staff)
    page = client.get("/performance/submit/").content.decode()
    assert "Check total" in page and "+8,269" in page


def test_a_hips_total_that_adds_up_or_lacks_an_area_is_not_flagged(framework):
    from performance import services

    for area, value in (("hampshire", 1000), ("isle-of-wight", 130), ("portsmouth", 300)):
        factories.figure("1.1.1.d", COLLECTING, value, area=area)
    hips = factories.figure("1.1.1.d", COLLECTING, 9999, area="hips")
    assert services.hips_difference_message(hips) is None  # Southampton missing: nothing to compare
    factories.figure("1.1.1.d", COLLECTING, 300, area="southampton")
    assert services.hips_difference(measure=hips.measure, period=hips.period, age_band="all") == 8269
    Figure.objects.filter(pk=hips.pk).update(value=1730)
    assert services.hips_difference(measure=hips.measure, period=hips.period, age_band="all") is None


def test_verifying_one_figure_says_so_in_the_singular(client, vru_staff, framework):
    figure = factories.figure("1.1.1.c", COLLECTING, 2, status=Figure.Status.SUBMITTED)
    client.force_login(vru_staff)
    response = client.post("/performance/verify/", {"figure": figure.pk}, follow=True)
    assert "1 figure verified." in response.content.decode()


def test_figures_to_verify_name_the_measure_beside_its_code(client, vru_staff, framework):
    figure = factories.figure("1.1.1.c", COLLECTING, 2, status=Figure.Status.SUBMITTED)
    client.force_login(vru_staff)
    page = client.get("/performance/submit/").content.decode()
    assert f"1.1.1.c {figure.measure.short_title}" in page
