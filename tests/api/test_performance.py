"""The performance framework over the API: reading by role, sending figures, and a whole quarter at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance import services
from performance.models import AgeBand, Area, Figure, Measure, Period
from tests.performance import factories
from tests.performance.conftest import COLLECTING, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    """The performance tests' "today" (15 August 2026): 2026/27 Q1's figures are being collected."""
    with time_machine.travel(TODAY, tick=False):
        yield


ROLES = ["vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"]
QUARTER = COLLECTING.label  # 2026/27 Q1, the quarter being collected on the frozen "today"


def whole_quarter(quarter: str = QUARTER, value: int = 40) -> list[dict]:
    """Every Constabulary measure, area and age band of a quarter: the bulk submission's payload."""
    items = []
    for measure in Measure.objects.filter(data_source__name__icontains="constabulary", derived=False):
        for area in Area.objects.all():
            for band in measure.age_bands:
                items.append(
                    {
                        "measure": measure.code,
                        "period": quarter,
                        "area": area.code,
                        "age_band": band,
                        "value": value,
                    }
                )
    return items


# Reading the framework ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_outcomes_measures_and_periods(request, api_for, framework, role):
    api = api_for(request.getfixturevalue(role))
    outcomes = api.get("/api/outcomes/").json()["results"]
    assert [o["code"] for o in outcomes] == ["1.1", "2.1", "2.2"]
    assert outcomes[0]["measures"] == ["1.1.1.a", "1.1.1.b", "1.1.1.c", "1.1.1.d"]
    measures = api.get("/api/measures/").json()["results"]
    assert [m["code"] for m in measures] == ["1.1.1.a", "1.1.1.b", "1.1.1.c", "1.1.1.d", "2.1.1.a", "2.2.1.a"]
    knife = api.get("/api/measures/1.1.1.b/").json()
    assert knife["home_office"] is True and knife["age_bands"] == ["all", "under_25"]
    assert knife["outcome"] == "1.1"
    periods = api.get("/api/periods/").json()["results"]
    assert periods[0]["slug"] == "2026-27-q4"  # newest first
    q1 = api.get("/api/periods/2025-26-q1/").json()
    assert (q1["label"], q1["start"], q1["end"], q1["is_locked"]) == (
        "2025/26 Q1",
        "2025-04-01",
        "2025-06-30",
        False,
    )


def test_a_signed_out_caller_reads_nothing_of_the_framework(api_for, framework):
    for address in [
        "/api/outcomes/",
        "/api/measures/",
        "/api/periods/",
        "/api/figures/",
        "/api/recommendations/",
    ]:
        assert api_for(None).get(address).status_code == 401, address


def test_measures_filter_by_derived_and_an_unknown_period_is_a_json_404(api_for, board_member, framework):
    api = api_for(board_member)
    derived = api.get("/api/measures/", {"derived": "true"}).json()["results"]
    assert [m["code"] for m in derived] == ["2.1.1.a", "2.2.1.a"]
    assert api.get("/api/periods/2040-41-q1/").json() == {"detail": "No Period matches the given query."} or (
        api.get("/api/periods/2040-41-q1/").status_code == 404
    )


# Reading figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_workflow"),
    [
        ("vru_staff", True),
        ("provider", True),  # the Constabulary's own analyst
        ("icb_provider", False),
        ("board_member", False),
        ("subgroup_chair", False),
        ("administrator", False),
    ],
)
def test_unverified_figures_are_seen_only_by_vru_staff_and_the_measures_own_data_provider(
    request, api_for, framework, provider, role, sees_workflow
):
    # As on the dashboards, which show verified figures only.
    factories.figure("1.1.1.b", COLLECTING, 40, area="hampshire", status=Figure.Status.DRAFT)
    factories.figure("1.1.1.b", COLLECTING, 42, area="portsmouth", status=Figure.Status.SUBMITTED)
    factories.figure("1.1.1.b", COLLECTING.previous(), 41, area="hampshire", status=Figure.Status.VERIFIED)
    figures = api_for(request.getfixturevalue(role)).get("/api/figures/").json()["results"]
    statuses = sorted(f["status"] for f in figures)
    assert statuses == (["draft", "submitted", "verified"] if sees_workflow else ["verified"])


def test_small_counts_are_hidden_from_those_not_trusted_with_them_with_the_secondary_cell(
    api_for, framework, board_member, subgroup_chair
):
    values = {"hampshire": 30, "isle-of-wight": 3, "portsmouth": 12, "southampton": 20, "hips": 65}
    for area, value in values.items():
        factories.figure("1.1.1.c", COLLECTING, value, area=area)

    def shown(user):
        rows = api_for(user).get("/api/figures/", {"measure": "1.1.1.c"}).json()["results"]
        return {row["area"]: (row["value"], row["suppressed"]) for row in rows}

    assert shown(board_member)["isle-of-wight"] == ("3.00", False)
    chair = shown(subgroup_chair)
    assert chair["isle-of-wight"] == (None, True)  # 3: a small count
    assert chair["portsmouth"] == (None, True)  # 12: would give the 3 away by subtraction from 65
    assert chair["hampshire"] == ("30.00", False) and chair["hips"] == ("65.00", False)
    # The same on a single figure's own address.
    iow = Figure.objects.get(measure__code="1.1.1.c", area__code="isle-of-wight")
    assert api_for(subgroup_chair).get(f"/api/figures/{iow.pk}/").json()["value"] is None


def test_figures_filter_by_period_measure_area_and_status(api_for, framework, vru_staff):
    factories.figure("1.1.1.b", COLLECTING, 40, area="hampshire")
    factories.figure("1.1.1.b", COLLECTING.previous(), 41, area="hampshire")
    factories.figure("1.1.1.d", COLLECTING, 400, area="portsmouth", status=Figure.Status.SUBMITTED)
    api = api_for(vru_staff)

    def values(**query):
        return sorted(f["value"] for f in api.get("/api/figures/", query).json()["results"])

    assert values(period="2026/27 Q1") == ["40.00", "400.00"]
    assert values(period="2026-27-q1", measure="1.1.1.b") == ["40.00"]
    assert values(area="portsmouth") == ["400.00"]
    assert values(status="verified") == ["40.00", "41.00"]
    assert values(status="submitted") == ["400.00"]
    bad = api.get("/api/figures/", {"period": "last quarter"})
    assert bad.status_code == 400 and "period" in bad.json()


def test_the_figure_list_costs_the_same_queries_for_5_and_40_figures(api_for, framework, subgroup_chair):
    api = api_for(subgroup_chair)  # the caller who also needs the suppression query
    api.get("/api/figures/")  # the token's first use is recorded once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/figures/").status_code == 200
        return len(captured)

    quarters = [COLLECTING.minus(n) for n in range(8)]
    for area in Area.objects.all():
        factories.figure("1.1.1.d", quarters[0], 5, area=area.code)
    small = queries()
    for quarter in quarters[1:]:
        for area in Area.objects.all():
            factories.figure("1.1.1.d", quarter, 5, area=area.code)
    assert queries() == small


# Sending one figure ---------------------------------------------------------------------------------


def test_a_data_provider_sends_a_figure_and_sending_it_again_changes_nothing(api_for, framework, provider):
    api = api_for(provider)
    payload = {"measure": "1.1.1.d", "period": QUARTER, "area": "portsmouth", "value": 123}
    first = api.post("/api/figures/", payload, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "submitted" and first.json()["value"] == "123.00"
    again = api.post("/api/figures/", payload, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    changed = api.post("/api/figures/", {**payload, "value": 124, "submit": False}, format="json")
    assert changed.status_code == 200 and changed.json()["status"] == "draft"
    figure = Figure.objects.get()
    assert figure.value == Decimal("124") and figure.history.count() == 2
    # The change is kept with who made it, as a change made in the web pages is.
    assert {row.history_user for row in figure.history.all()} == {provider}


def test_a_figure_for_another_organisations_measure_is_refused_and_nothing_is_saved(
    api_for, framework, provider, icb
):
    response = api_for(provider).post(
        "/api/figures/",
        {"measure": "1.1.1.a", "period": QUARTER, "area": "hampshire", "value": 9},  # the ICB's measure
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["measure"] == ["1.1.1.a is not one of your organisation's measures."]
    assert not Figure.objects.exists()


@pytest.mark.parametrize("role", ["vru_staff", "board_member", "subgroup_chair", "administrator"])
def test_only_data_providers_send_figures(request, api_for, framework, role):
    response = api_for(request.getfixturevalue(role)).post(
        "/api/figures/", {"measure": "1.1.1.d", "period": QUARTER, "area": "hips", "value": 1}, format="json"
    )
    assert response.status_code == 403
    assert not Figure.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"measure": "2.1.1.a"}, "measure", "2.1.1.a is computed by the portal and cannot be entered."),
        ({"value": "12.5"}, "value", "A count is a whole number."),
        ({"value": -1}, "value", "Ensure this value is greater than or equal to 0."),
        ({"age_band": "under_25"}, "age_band", "This measure is not reported for under-25s."),
        ({"period": "2031/32 Q1"}, "period", "2031/32 Q1 is not a reporting period yet."),
        ({"period": "2026/28 Q1"}, "period", "“2026/28 Q1” is not a quarter like 2025/26 Q1."),
        ({"area": "wessex"}, "area", "“wessex” is not a known code."),
        ({"denominator": 0}, "denominator", "The denominator must be more than 0."),
    ],
)
def test_a_bad_figure_is_refused_with_a_message_on_its_field(
    api_for, framework, provider, change, field, message
):
    payload = {"measure": "1.1.1.d", "period": QUARTER, "area": "hips", "value": 12, **change}
    response = api_for(provider).post("/api/figures/", payload, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not Figure.objects.exists()


def test_a_locked_quarter_takes_no_figures(api_for, framework, provider):
    factories.period(COLLECTING, locked=True)
    response = api_for(provider).post(
        "/api/figures/", {"measure": "1.1.1.d", "period": QUARTER, "area": "hips", "value": 12}, format="json"
    )
    assert response.status_code == 400
    assert "locked" in response.json()["period"][0]


def test_verification_stays_with_vru_staff_in_the_web_pages(api_for, framework, vru_staff, provider):
    figure = factories.figure("1.1.1.d", COLLECTING, 40, status=Figure.Status.SUBMITTED)
    for method in ("put", "patch", "delete"):
        response = getattr(api_for(vru_staff), method)(
            f"/api/figures/{figure.pk}/", {"status": "verified"}, format="json"
        )
        assert response.status_code == 405
    figure.refresh_from_db()
    assert figure.status == Figure.Status.SUBMITTED


# A whole quarter at once ----------------------------------------------------------------------------


def test_a_whole_quarter_is_one_request_and_sending_it_again_duplicates_nothing(api_for, framework, provider):
    items = whole_quarter()
    assert len(items) == 25  # 1.1.1.b and c in two age bands, 1.1.1.d in one; five areas each
    api = api_for(provider)
    response = api.post("/api/figures/bulk/", {"figures": items}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["updated"]) == (25, 0)
    assert (
        Figure.objects.filter(status=Figure.Status.SUBMITTED, period__year=2026, period__quarter=1).count()
        == 25
    )
    again = api.post("/api/figures/bulk/", {"figures": items}, format="json")
    assert (again.json()["created"], again.json()["updated"]) == (0, 25)
    assert Figure.objects.count() == 25


def test_one_bad_item_refuses_the_whole_quarter_and_the_answer_names_it(api_for, framework, provider):
    items = whole_quarter()
    items[7]["value"] = "seven"
    response = api_for(provider).post("/api/figures/bulk/", {"figures": items}, format="json")
    assert response.status_code == 400
    body = response.json()
    named = f"{items[7]['measure']} {QUARTER} {items[7]['area']}"
    assert body["items"] == [
        {"index": 7, "figure": named, "errors": {"value": ["A valid number is required."]}}
    ]
    assert body["detail"].startswith(f"Nothing was saved: item 7 ({named}) was refused.")
    assert not Figure.objects.exists()


def test_a_quarter_holding_another_organisations_measure_is_refused_whole(api_for, framework, provider, icb):
    items = [*whole_quarter(), {"measure": "1.1.1.a", "period": QUARTER, "area": "hips", "value": 3}]
    response = api_for(provider).post("/api/figures/bulk/", {"figures": items}, format="json")
    assert response.status_code == 400
    assert response.json()["items"][0]["index"] == 25
    assert "not one of your organisation's measures" in response.json()["detail"]
    assert not Figure.objects.exists()


def test_the_same_figure_twice_in_one_batch_is_refused(api_for, framework, provider):
    items = whole_quarter()
    response = api_for(provider).post("/api/figures/bulk/", {"figures": [*items, items[3]]}, format="json")
    assert response.status_code == 400
    assert "Item 25" in response.json()["detail"] and "item 3" in response.json()["detail"]
    assert not Figure.objects.exists()


def test_an_empty_or_shapeless_batch_is_refused(api_for, framework, provider):
    api = api_for(provider)
    for body in ({"figures": []}, {"figures": "all"}, {}, {"figures": [1, 2]}):
        response = api.post("/api/figures/bulk/", body, format="json")
        assert response.status_code == 400, body
        assert "detail" in response.json()


def test_the_batch_service_rolls_back_what_it_saved_when_a_later_item_fails(framework, provider):
    # The API checks a batch before saving; the service also guards the save itself (a quarter
    # locked between the check and the save, for instance).
    open_quarter, locked = factories.period(COLLECTING), factories.period(COLLECTING.previous(), locked=True)
    measure, area = Measure.objects.get(code="1.1.1.d"), Area.objects.get(code="hips")
    items = [
        {"measure": measure, "period": open_quarter, "area": area, "value": Decimal(1), "submit": True},
        {"measure": measure, "period": locked, "area": area, "value": Decimal(2), "submit": True},
    ]
    with pytest.raises(services.BatchItemError) as refused:
        services.figures_save_batch(acting_user=provider, items=items)
    assert refused.value.index == 1
    assert not Figure.objects.exists()


@pytest.mark.parametrize("role", ["vru_staff", "board_member", "subgroup_chair", "administrator"])
def test_only_data_providers_send_a_batch(request, api_for, framework, role):
    response = api_for(request.getfixturevalue(role)).post(
        "/api/figures/bulk/", {"figures": whole_quarter()}, format="json"
    )
    assert response.status_code == 403
    assert not Figure.objects.exists()


# Crest recommendations ------------------------------------------------------------------------------


@pytest.fixture
def recommendations(db):
    from tests.crest.factories import RecommendationFactory

    return (
        RecommendationFactory(number="4.1", publishable=True),
        RecommendationFactory(number="4.2", publishable=False),
    )


@pytest.mark.parametrize(
    ("role", "numbers"),
    [
        ("vru_staff", ["4.1", "4.2"]),
        ("board_member", ["4.1", "4.2"]),
        ("administrator", ["4.1", "4.2"]),
        ("subgroup_chair", ["4.1"]),  # what /published/crest/ shows, as to anyone
        ("data_provider", ["4.1"]),
    ],
)
def test_recommendations_by_role(request, api_for, recommendations, role, numbers):
    rows = api_for(request.getfixturevalue(role)).get("/api/recommendations/").json()["results"]
    assert sorted(r["number"] for r in rows) == numbers
    if role in {"subgroup_chair", "data_provider"}:
        assert "owner" not in rows[0] and "actions" not in rows[0]
        hidden = recommendations[1]
        assert (
            api_for(request.getfixturevalue(role)).get(f"/api/recommendations/{hidden.pk}/").status_code
            == 404
        )


def test_periods_and_role_less_accounts(api_for, make_user, framework):
    nobody = make_user(username="nobody")
    assert api_for(nobody).get("/api/figures/").status_code == 403
    assert Period.objects.count() == 8
    assert AgeBand.UNDER_25 == "under_25"


def test_an_empty_or_repeated_page_number_is_refused_not_read_as_the_first_page(api_for, board_member):
    api = api_for(board_member)
    for query in ("page=", "page=1&page=2"):
        response = api.get(f"/api/measures/?{query}")
        assert response.status_code == 400, query
        assert response.json() == {"page": ["Enter one whole page number, from 1."]}
    assert api.get("/api/measures/?page=1").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_measures_the_portal_computes(request, api_for, framework, role):
    import datetime as dt

    from governance.models import Attendance

    fire = factories.organisation("Hampshire Fire and Rescue Service")
    council = factories.organisation("Portsmouth City Council")
    probation = factories.organisation("Probation Service")
    meeting = factories.meeting(dt.date(2026, 5, 14))  # in 2026/27 Q1
    factories.attend(meeting, factories.person("Fiona Fire", fire), Attendance.Status.PRESENT)
    factories.attend(meeting, factories.person("Colin Council", council), Attendance.Status.DEPUTY)
    factories.attend(meeting, factories.person("Pat Probation", probation), Attendance.Status.APOLOGIES)

    api = api_for(request.getfixturevalue(role))
    rows = api.get("/api/derived-values/", {"page_size": 8}).json()["results"]
    attendance = {row["period"]: row for row in rows if row["measure"] == "2.1.1.a"}
    q1 = attendance["2026-27-q1"]
    assert q1["value"] == "2.00"  # present, and a deputy; apologies do not count
    assert q1["detail"].startswith("2 of ")
    # Computed, never sent in: a data provider cannot post one.
    assert not Figure.objects.filter(measure__code="2.1.1.a").exists()


def test_derived_values_cost_the_same_queries_for_one_and_eight_quarters(api_for, framework, board_member):
    api = api_for(board_member)
    api.get("/api/derived-values/")  # the token's first use is recorded once

    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/derived-values/", {"page_size": size}).status_code == 200
        return len(captured)

    assert queries(1) == queries(8)
