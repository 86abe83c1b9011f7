"""Reconciliation: the report, read back from its stored XLSX, agrees with the records figure by figure.

Seen: the 2026/27 Q2 action log said 0 opened, 0 open, "None" while four actions were open, and nobody
could tell. Now every figure carries its sources (the "Sources" sheet) and ``reconcile`` recomputes
the action log, the SVRP meetings' attendance and the Home Office figures by a second path. Hypothesis
builds hundreds of random quarters (actions raised and completed across quarter boundaries and typed
in afterwards, attendance with deputies and officers, verified and unverified figures, small counts)
and fails on any difference; it prints the falsifying data set, and ``derandomize`` makes the run
repeatable (the seed is the test's name).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from governance.models import Action, Attendance, DutyStatus, Meeting, PartnershipGroup
from governance.quarters import FinancialQuarter
from performance.models import Figure, ReportFile
from performance.reporting import builders, generate_draft, provenance
from performance.reporting import sections as report_sections
from performance.reporting.reconcile import reconcile_fresh, reconcile_version, reconcile_workbook

from . import factories

pytestmark = pytest.mark.django_db

Q1 = FinancialQuarter(2026, 1)  # April to June 2026; today is 15 August 2026 (conftest)
WINDOW_START = Q1.start - dt.timedelta(days=100)
WINDOW_DAYS = (Q1.end - WINDOW_START).days + 100


@pytest.fixture
def authorities(framework):
    """Four specified or relevant authorities and one other organisation, each with a person."""
    orgs = [
        factories.organisation("Portsmouth City Council"),
        factories.organisation("Hampshire Constabulary"),
        factories.organisation("Youth Justice Service", duty=DutyStatus.RELEVANT),
        factories.organisation("Isle of Wight Council"),
        factories.organisation("A charity", duty=DutyStatus.NONE),
    ]
    svrp = factories.svrp()
    subgroup, _created = PartnershipGroup.objects.get_or_create(
        short_name="DAWG",
        defaults={
            "name": "Data and Analysis Working Group",
            "slug": "dawg",
            "kind": PartnershipGroup.Kind.SUBGROUP,
            "parent": svrp,
        },
    )
    return {
        "orgs": orgs,
        "people": [factories.person(f"Person {o.pk}", o) for o in orgs],
        "subgroup": subgroup,
    }


day = st.integers(min_value=0, max_value=WINDOW_DAYS).map(lambda n: WINDOW_START + dt.timedelta(days=n))
actions = st.lists(
    st.fixed_dictionaries(
        {
            "raised": day,
            "due_after": st.integers(min_value=-10, max_value=150),
            "status": st.sampled_from(list(Action.Status.values)),
            "completed_after": st.one_of(st.none(), st.integers(min_value=0, max_value=150)),
            "typed_after": st.integers(min_value=0, max_value=200),
        }
    ),
    max_size=12,
)
meetings = st.lists(
    st.fixed_dictionaries(
        {
            "date": day,
            "svrp": st.booleans(),
            "status": st.sampled_from(
                [Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED]
            ),
            "rows": st.lists(
                st.tuples(
                    st.integers(min_value=0, max_value=4),
                    st.sampled_from(["present", "deputy", "guest", "apologies", "absent", "expected"]),
                ),
                max_size=8,
            ),
        }
    ),
    max_size=3,
)
figures = st.lists(
    st.tuples(
        st.sampled_from(report_sections.HOME_OFFICE_CODES),
        st.sampled_from(["hips", "hampshire", "isle-of-wight", "portsmouth", "southampton"]),
        st.sampled_from([0, 1, 4]),  # this quarter, the one before, a year before
        st.integers(min_value=0, max_value=400),  # small counts (1 to 7) included
        st.booleans(),  # verified or only submitted
    ),
    max_size=10,
    unique_by=lambda f: (f[0], f[1], f[2]),
)


def _make(data: dict[str, Any], people: list[Any], orgs: list[Any], subgroup: PartnershipGroup) -> None:
    for n, action in enumerate(data["actions"], start=1):
        raised = action["raised"]
        completed = None
        if action["completed_after"] is not None and action["status"] in (
            Action.Status.COMPLETE,
            Action.Status.CLOSED,
        ):
            completed = raised + dt.timedelta(days=action["completed_after"])
        owner = people[n % len(people)]
        Action.objects.create(
            reference=f"SVRP-2026-{n:02d}",
            description=f"Action {n}.",
            owner=owner,
            organisation=owner.organisation,
            raised_on=raised,
            due_date=raised + dt.timedelta(days=action["due_after"]),
            status=action["status"],
            completed_on=completed,
            # typed in on a day of its own, often after the quarter: it must play no part
            created=timezone.make_aware(
                dt.datetime.combine(raised, dt.time(9)) + dt.timedelta(days=action["typed_after"])
            ),
        )
    for m in data["meetings"]:
        meeting = factories.meeting(m["date"], None if m["svrp"] else subgroup, status=m["status"])
        for org_index, status in m["rows"]:
            Attendance.objects.create(
                meeting=meeting,
                organisation=orgs[org_index],
                status=status,
                guest_name="An officer" if status == "guest" else "",
            )
    for code, area, back, value, verified in data["figures"]:
        factories.figure(
            code,
            Q1.minus(back),
            value,
            area=area,
            status=Figure.Status.VERIFIED if verified else Figure.Status.SUBMITTED,
        )


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.fixed_dictionaries({"actions": actions, "meetings": meetings, "figures": figures}))
def test_the_report_reconciles_with_the_records_over_random_data_sets(authorities, data):
    with transaction.atomic():
        _make(data, authorities["people"], authorities["orgs"], authorities["subgroup"])
        differences = reconcile_fresh(Q1)
        transaction.set_rollback(True)
    assert [str(d) for d in differences] == []


@pytest.fixture
def recorded(authorities):
    """A quarter as the issue saw it: actions written up after the quarter, attendance, a figure."""
    people, orgs = authorities["people"], authorities["orgs"]
    september = factories.meeting(dt.date(2026, 6, 8))
    Attendance.objects.create(meeting=september, organisation=orgs[0], person=people[0], status="present")
    Attendance.objects.create(meeting=september, organisation=orgs[1], status="deputy")
    late = timezone.make_aware(dt.datetime(2026, 8, 1, 9))
    for n, (raised, due) in enumerate(
        [(dt.date(2026, 6, 8), dt.date(2026, 6, 20)), (dt.date(2026, 4, 2), dt.date(2026, 9, 1))]
    ):
        Action.objects.create(
            reference=f"SVRP-2026-{n + 1:02d}",
            description="Written up in August.",
            owner=people[0],
            organisation=orgs[0],
            raised_on=raised,
            due_date=due,
            created=late,
        )
    factories.figure("1.1.1.c", Q1, 3)
    factories.figure("1.1.1.c", Q1.minus(4), 5)


def test_a_generated_version_reconciles_and_its_sources_name_each_figures_records(
    recorded, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    version = generate_draft(2026, 1)
    assert reconcile_version(version) == []
    stored = ReportFile.objects.get(version=version, kind=ReportFile.Kind.XLSX)
    book = load_workbook(stored.file.open("rb"), read_only=True)
    sources = list(book["11 Sources"].iter_rows(values_only=True))
    assert sources[0] == ("Section", "Sheet", "Cell", "Figure", "Value", "Rule", "Records", "Record keys")
    by_name = {row[3]: row for row in sources[1:]}
    opened = by_name["Actions in the quarter: Opened in the quarter – Number"]
    assert opened[1:3] == ("5 Action log", "B2") and opened[4] == 2
    assert opened[6] == "SVRP-2026-01; SVRP-2026-02"
    assert book["5 Action log"]["B2"].value == 2  # the cell the source names holds the figure
    homicides = next(
        row
        for row in sources
        if row[3].startswith("1.1.1.c") and "HIPS total" in row[3] and row[3].endswith("Quarter")
    )
    figure = Figure.objects.get(measure__code="1.1.1.c", period__year=2026, period__quarter=1)
    assert homicides[4] == 3 and homicides[7] == f"figure:{figure.pk}"
    represented = next(row for row in sources if row[3].endswith("Authorities represented"))
    assert represented[4] == 2 and len(represented[7].split()) == 2
    assert all(row[7].startswith("attendance:") for row in [represented])


def test_a_changed_cell_is_found_and_named(recorded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version = generate_draft(2026, 1)
    stored = ReportFile.objects.get(version=version, kind=ReportFile.Kind.XLSX)
    book = load_workbook(stored.file.open("rb"))
    book["5 Action log"]["B2"].value = 0  # "0 opened", as the report had said
    tampered = io.BytesIO()
    book.save(tampered)
    tampered.seek(0)
    found = [str(d) for d in reconcile_workbook(tampered, Q1)]
    assert any(d.startswith("5 Action log!B2 Actions in the quarter: Opened in the quarter") for d in found)
    assert any("Opened in the quarter: the report says 0, the records say 2" in d for d in found)


def test_the_old_rule_by_creation_time_would_not_reconcile(recorded, monkeypatch):
    """The report's action log, counted by when rows were typed in (the bug), is caught by the check."""
    real = report_sections.action_records

    def by_row_creation(ctx: Any) -> dict[str, list[tuple[str, str]]]:
        found = real(ctx)
        typed_in = set(
            Action.objects.filter(
                created__date__gte=ctx.quarter.start, created__date__lte=ctx.quarter.end
            ).values_list("reference", flat=True)
        )
        return {name: [r for r in rows if r[1] in typed_in] for name, rows in found.items()}

    monkeypatch.setattr(report_sections, "action_records", by_row_creation)
    found = [str(d) for d in reconcile_fresh(Q1)]
    assert "5 Action log!B2 Opened in the quarter: the report says 0, the records say 2" in found
    assert "5 Action log!B5 Open at the end of the quarter: the report says 0, the records say 2" in found


def test_the_command_reconciles_a_stored_version_and_fails_on_a_difference(
    recorded, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    generate_draft(2026, 1)
    out = io.StringIO()
    call_command("reconcile_report", "2026/27", "Q1", "--version", "1", stdout=out)
    assert out.getvalue().strip() == "2026/27 Q1 version 1: reconciled"
    # The records move on after the version was made: the command says what no longer agrees.
    Action.objects.filter(reference="SVRP-2026-02").update(raised_on=dt.date(2026, 7, 2))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 report"):
        call_command("reconcile_report", "2026/27 Q1", stdout=out)
    assert "Opened in the quarter: the report says 2, the records say 1" in out.getvalue()
    with pytest.raises(CommandError, match="not a financial quarter"):
        call_command("reconcile_report", "Q9")


@pytest.fixture
def version(recorded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return generate_draft(2026, 1)


@pytest.mark.parametrize("role", ["vru_staff", "board_member"])
def test_readers_open_a_figure_from_the_report_and_reach_its_records(role, request, version, client_for):
    client = client_for(request.getfixturevalue(role))
    report_page = client.get(reverse("performance:report", args=["2026-27-q1"])).text
    sources_url = reverse("performance:report_sources", args=["2026-27-q1", 1])
    assert f'href="{sources_url}"' in report_page
    sources = client.get(sources_url).text
    name = "Actions in the quarter: Opened in the quarter – Number"
    row = next(r for r in provenance.stored_sources(version) if r.figure == name)
    figure_url = reverse("performance:report_figure_sources", args=["2026-27-q1", 1, row.number])
    assert f'href="{figure_url}">{name}</a>' in sources
    figure = client.get(figure_url).text
    assert "Sheet “5 Action log”, cell B2" in figure and "2 records" in figure
    for action in Action.objects.filter(reference__in=["SVRP-2026-01", "SVRP-2026-02"]):
        assert f'href="{action.get_absolute_url()}"' in figure
    assert (
        client.get(reverse("performance:report_figure_sources", args=["2026-27-q1", 1, 9999])).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["subgroup_chair", "data_provider", "administrator"])
def test_other_roles_are_refused_the_sources(role, request, version, client_for):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("performance:report_sources", args=["2026-27-q1", 1])).status_code == 403
    assert (
        client.get(reverse("performance:report_figure_sources", args=["2026-27-q1", 1, 1])).status_code == 403
    )


def test_anonymous_visitors_are_sent_to_sign_in_from_the_sources(version, client):
    response = client.get(reverse("performance:report_sources", args=["2026-27-q1", 1]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_submit_page_says_reconciled_or_lists_the_differences(version, vru_staff, client_for):
    client = client_for(vru_staff)
    url = reverse("performance:report_submit", args=["2026-27-q1", 1])
    assert "Reconciled: every figure" in client.get(url).text
    Action.objects.filter(reference="SVRP-2026-02").update(raised_on=dt.date(2026, 7, 2))
    page = client.get(url).text
    assert "2 figures of this version do not agree with the records now" in page  # opened, and open
    assert "Opened in the quarter: the report says 2, the records say 1" in page


def test_the_sources_page_reads_the_frozen_file_in_a_fixed_number_of_queries(
    version, vru_staff, client_for, django_assert_max_num_queries
):
    client = client_for(vru_staff)
    url = reverse("performance:report_figure_sources", args=["2026-27-q1", 1, 1])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("performance:report_sources", args=["2026-27-q1", 1])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def _as_in_the_pdf(value: Any) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    return builders._pdf_value(value)


def test_the_pdf_and_the_xlsx_agree_cell_for_cell(version, tmp_path):
    """Every cell of every sheet, read back from the XLSX, is in the PDF as a reader sees it, in order."""
    files = {f.kind: f for f in ReportFile.objects.filter(version=version)}
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(files["pdf"].file.open("rb").read())
    # Compared without white space: the PDF wraps a cell's text over lines where it likes.
    text = "".join(
        subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    book = load_workbook(files["xlsx"].file.open("rb"), read_only=True)
    position, checked = 0, 0
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) <= report_sections.PDF_ROW_LIMIT  # the PDF shows every row of these sheets
        for row in rows:
            for value in row:
                shown = _as_in_the_pdf(value)
                if not shown:
                    continue
                needle = "".join(shown.split())
                found = text.find(needle, position)
                assert found >= 0, (
                    f"{sheet.title}: {shown!r} is not in the PDF after {text[position : position + 200]!r}"
                )
                position, checked = found + len(needle), checked + 1
    assert checked > 300  # every sheet's cells, the sources included


def test_an_empty_number_cell_says_why_in_the_note_column(recorded, settings, tmp_path):
    """Seen: number columns mixed numbers and "*" text, and a blank cell said nothing."""
    settings.MEDIA_ROOT = tmp_path
    factories.figure("1.1.1.c", Q1, 2, area="hampshire", status=Figure.Status.SUBMITTED)
    version = generate_draft(2026, 1)
    book = load_workbook(ReportFile.objects.get(version=version, kind="xlsx").file.open("rb"), read_only=True)
    rows = list(book["2 Home Office measures"].iter_rows(values_only=True))
    assert rows[0][-1] == "Note"
    by_area = {(r[0], r[2], r[3]): r for r in rows[1:]}
    total = by_area[("1.1.1.c", "All ages", "HIPS total")]
    assert (
        total[4] == 3
        and total[7] == -2
        and total[-1] == "No rolling year: a quarter of it has no verified figure."
    )
    waiting = by_area[("1.1.1.c", "All ages", "Hampshire")]
    assert waiting[4] is None and waiting[-1].startswith(
        "The quarter's figure is submitted but not yet verified."
    )
    for row in rows[1:]:  # number columns hold numbers or nothing
        assert all(value is None or isinstance(value, int | float) for value in row[4:8])
    framework = list(book["3 Framework, 8 quarters"].iter_rows(values_only=True))
    assert framework[0][-1] == "Note"
    homicides = next(r for r in framework if r[1] == "1.1.1.c")
    # Verified for 2026/27 Q1 and 2025/26 Q1 only: the note names the six quarters without a figure.
    assert (
        homicides[-1] == "No verified figure for Q2 24/25, Q3 24/25, Q4 24/25, Q2 25/26, Q3 25/26, Q4 25/26."
    )
    for row in framework[1:]:
        assert all(value is None or isinstance(value, int | float) for value in row[4:-1])
