"""The benchmark's data and pages: the same queries per page at two sizes, deterministic
data, accounts that sign in as in production, and a generator that keeps out of real databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from crest.models import ProgressEntry, Recommendation
from demo import benchmark
from governance import reference
from governance.models import Action, ActionUpdate, AgendaItem, Attendance, Meeting, Person
from performance.models import Area, Figure, Measure, ReportVersion, SurveyResponse

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)
SMALL, LARGER = 0.1, 0.6
FLOOR = "/accessibility/"


@pytest.fixture
def reference_data(db: Any) -> None:
    reference.load_all()


def _queries_per_page() -> dict[str, tuple[int, int]]:
    """Queries of the first and of a repeated request to each key page, as the benchmark board member."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench.board"))
    counts = {}
    for path in [FLOOR, *benchmark.key_pages()]:
        # Meeting ids differ between the two data sets; the page is the same.
        name = "/meetings/<latest>/" if path.startswith("/meetings/") else path
        measured = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, f"{path} answered {response.status_code}"
            measured.append(len(queries))
        counts[name] = (measured[0], measured[1])
    return counts


def _generate_and_count(scale: float) -> tuple[dict[str, tuple[int, int]], int]:
    """Build a data set, count, and roll it back so the next size starts from the same reference data.

    The rollback also takes back the content versions the data set moved, so the next data set can
    reach the same version numbers: the cache is emptied first, or its first request would be served
    the previous (rolled-back) data set's fragments and count fewer queries than a cold page does.
    """
    cache.clear()
    with transaction.atomic():
        benchmark.generate_all(scale=scale, password="bench-password-for-tests", today=TODAY)
        actions = Action.objects.count()
        counts = _queries_per_page()
        transaction.set_rollback(True)
    return counts, actions


def test_every_key_page_costs_the_same_queries_at_two_scales(reference_data: None, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC), tick=False)
    small, small_actions = _generate_and_count(SMALL)
    larger, larger_actions = _generate_and_count(LARGER)
    assert larger_actions >= 5 * small_actions  # the two sizes really differ
    assert set(small) == {
        FLOOR,
        *{"/meetings/<latest>/" if p.startswith("/meetings/") else p for p in larger},
    }
    assert small == larger


def test_the_generator_builds_what_the_issue_lists_at_its_scale(reference_data: None) -> None:
    benchmark.generate_all(scale=0.5, password="bench-password-for-tests", today=TODAY)
    scale = benchmark.Scale(0.5)
    assert Person.objects.filter(full_name__startswith=benchmark.BENCH_PREFIX).count() == scale.people
    meetings = Meeting.objects.filter(title__startswith=benchmark.BENCH_PREFIX, status=Meeting.Status.HELD)
    assert meetings.count() == scale.meetings
    # And the SVRP's next meeting, for the home page.
    assert Meeting.objects.filter(
        group__short_name="SVRP", status=Meeting.Status.SCHEDULED, date__gt=TODAY
    ).exists()
    assert AgendaItem.objects.filter(meeting__in=meetings).count() == 7 * scale.meetings
    # A full register: every member of the meeting's group has a row.
    meeting = meetings.filter(group__short_name="SVRP").order_by("-date").first()
    assert meeting is not None
    assert (
        Attendance.objects.filter(meeting=meeting).count()
        == meeting.group.memberships.filter(person__full_name__startswith=benchmark.BENCH_PREFIX).count()
    )
    assert Action.objects.filter(reference__startswith="BENCH-").count() == scale.actions
    assert ActionUpdate.objects.filter(action__reference__startswith="BENCH-").count() == 5 * scale.actions
    recommendations = Recommendation.objects.filter(report__short_name="Bench review")
    assert recommendations.count() == scale.recommendations
    assert (
        ProgressEntry.objects.filter(recommendation__in=recommendations).count() == 6 * scale.recommendations
    )
    # Every entered measure has a figure for every area and quarter; the survey feeds 2.2.1.a.
    for measure in Measure.objects.entered():
        quarters = Figure.objects.filter(measure=measure, area__is_total=True, age_band="all").count()
        assert quarters == scale.quarters
    assert SurveyResponse.objects.exists()
    # Submitted Home Office report versions for the latest quarters (40 at scale 10).
    assert ReportVersion.objects.filter(status="submitted").count() == scale.report_versions
    # One account per role.
    users = get_user_model().objects.filter(username__in=benchmark.BENCH_ACCOUNTS)
    assert {u.groups.get().name for u in users} == {r.value for r in benchmark.BENCH_ACCOUNTS.values()}


def test_the_same_seed_builds_the_same_data(reference_data: None) -> None:
    def snapshot() -> list[Any]:
        with transaction.atomic():
            benchmark.generate_all(scale=0.1, password="bench-password-for-tests", seed=7, today=TODAY)
            rows: list[Any] = list(
                Action.objects.filter(reference__startswith="BENCH-")
                .order_by("reference")
                .values_list("reference", "due_date", "status", "owner__full_name", "meeting__date")
            )
            rows += list(
                Figure.objects.order_by(
                    "measure__code", "period__year", "period__quarter", "area__code", "age_band"
                ).values_list("measure__code", "period__year", "period__quarter", "area__code", "value")
            )
            transaction.set_rollback(True)
        return rows

    first = snapshot()
    assert first and snapshot() == first


def test_the_board_member_signs_in_with_a_password_while_two_factor_is_enforced(
    reference_data: None, settings: Any
) -> None:
    settings.SVRP_REQUIRE_2FA = True
    benchmark.generate_all(scale=0.1, password="bench-password-for-tests", today=TODAY)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "bench.board", "password": "bench-password-for-tests"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200
    # Staff are still held to two-factor login: the benchmark does not weaken it.
    staff = Client()
    staff.post("/accounts/login/", {"username": "bench.staff", "password": "bench-password-for-tests"})
    assert staff.get("/").headers["Location"].startswith("/accounts/two-factor/setup/")


def test_the_generator_refuses_a_database_with_real_accounts(reference_data: None) -> None:
    get_user_model().objects.create_user(username="a.real.person", password="a-real-password-1")
    with pytest.raises(CommandError, match="not the benchmark's"):
        call_command("generate_benchmark_data", "--scale", "0.1", "--password", "bench-password-for-tests")
    assert not Person.objects.filter(full_name__startswith=benchmark.BENCH_PREFIX).exists()


def test_bench_spec_reports_each_page_cached_and_rendered_afresh(reference_data: None) -> None:
    """`make bench` reports what a page costs from its fragments and right after a content change."""
    import io
    import json

    benchmark.generate_all(scale=SMALL, password="bench-password-for-tests", today=TODAY)
    out = io.StringIO()
    call_command("bench_spec", "--scale", str(SMALL), stdout=out)
    spec = json.loads(out.getvalue())
    assert [page["path"] for page in spec["pages"]] == benchmark.key_pages()
    for page in spec["pages"]:
        assert page["fresh_ms"] > 0
        assert page["fresh_queries"] >= page["queries"], page["path"]
    meeting = next(page for page in spec["pages"] if page["path"].startswith("/meetings/"))
    # Served from its fragment, the meeting page reads none of the record's tables.
    assert meeting["fresh_queries"] > meeting["queries"] + 5


def test_the_load_scenarios_accounts_share_no_cell_and_a_lost_submission_is_counted(
    reference_data: None, tmp_path: Any
) -> None:
    """make bench's scenarios (bench/scenarios.py) count a submission lost when the database does not
    hold what the portal accepted: each provider writes cells no other provider writes."""
    import json

    from demo.management.commands import bench_scenarios

    benchmark.generate_all(scale=0.1, password="bench-password-for-tests", today=TODAY)
    spec = bench_scenarios.setup("bench-password-for-tests", "12345678")
    cells = [(c["measure"], c["area"]) for p in spec["providers"] for c in p["cells"]]
    assert len(spec["providers"]) == 25 and cells and len(cells) == len(set(cells))
    provider = get_user_model().objects.get(username="bench.provider01")
    assert (
        provider.person.organisation_id
        == Measure.objects.get(code=spec["providers"][0]["cells"][0]["measure"]).data_source_id
    )  # type: ignore[attr-defined]

    # Deadline day: none of the quarter's entered figures is in yet, so no submission needs a reason
    # for changing a verified figure (the scenarios' providers would all be refused).
    period_id = spec["period"]["id"]
    assert not Figure.objects.filter(period_id=period_id, measure__derived=False).exists()
    assert Figure.objects.exclude(period_id=period_id).exists()  # the history before it stays
    cell = spec["providers"][0]["cells"][0]
    figure = Figure.objects.create(
        measure=Measure.objects.get(code=cell["measure"]),
        period_id=period_id,
        area=Area.objects.get(code=cell["area"]),
        age_band="all",
        value=12,
        status=Figure.Status.SUBMITTED,
    )
    log = tmp_path / "log.jsonl"
    entry = {
        "kind": "figure",
        "measure": cell["measure"],
        "area": cell["area"],
        "period": spec["period"]["id"],
    }
    log.write_text(json.dumps({**entry, "value": str(figure.value)}) + "\n")
    assert bench_scenarios.check(log) == {"accepted_submissions": 1, "lost_submissions": 0}
    log.write_text(log.read_text() + json.dumps({**entry, "value": str(figure.value + 1)}) + "\n")
    log.write_text(log.read_text() + json.dumps({"kind": "decision", "text": "Never saved"}) + "\n")
    assert bench_scenarios.check(log) == {"accepted_submissions": 3, "lost_submissions": 2}
