from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import Action
from tests.forms import date_input

from .factories import ActionFactory, MeetingFactory, TheoryOfChangeActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(svrp):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 3, 10))
    toc = TheoryOfChangeActivityFactory(code="1.b")
    return {
        "mine_overdue": ActionFactory(
            reference="SVRP-2026-01",
            owner=svrp.bea,
            meeting=meeting,
            due_date=dt.date(2026, 4, 1),
            toc_activity=toc,
        ),
        "mine_open": ActionFactory(
            reference="SVRP-2026-02", owner=svrp.bea, meeting=meeting, due_date=dt.date(2026, 9, 1)
        ),
        "other": ActionFactory(
            reference="SVRP-2026-03", owner=svrp.other, meeting=meeting, due_date=dt.date(2026, 4, 2)
        ),
        "done": ActionFactory(
            reference="SVRP-2026-04",
            owner=svrp.other,
            meeting=meeting,
            due_date=dt.date(2026, 4, 2),
            status="complete",
        ),
    }


def test_the_action_log_marks_overdue_actions_in_words_and_lists_them_first(
    actions, client_for, data_provider
):
    page = client_for(data_provider).get(reverse("governance:actions")).content.decode()
    assert page.count("app-overdue") == 2
    assert page.count(">Overdue</strong>") == 2
    assert page.index("SVRP-2026-01") < page.index("SVRP-2026-04")
    assert page.index("SVRP-2026-03") < page.index("SVRP-2026-02")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"overdue": "on"}, {"SVRP-2026-01", "SVRP-2026-03"}),
        ({"status": "complete"}, {"SVRP-2026-04"}),
        ({"status": "open_all"}, {"SVRP-2026-01", "SVRP-2026-02", "SVRP-2026-03"}),
        ({"toc_activity": "TOC"}, {"SVRP-2026-01"}),
        ({"organisation": "PORTSMOUTH"}, {"SVRP-2026-01", "SVRP-2026-02"}),
    ],
)
def test_the_action_log_filters(actions, svrp, client_for, vru_staff, params, expected):
    params = {
        k: {"TOC": str(actions["mine_overdue"].toc_activity_id), "PORTSMOUTH": str(svrp.portsmouth.pk)}.get(
            v, v
        )
        for k, v in params.items()
    }
    page = client_for(vru_staff).get(reverse("governance:actions"), params).content.decode()
    shown = {ref for ref in ("SVRP-2026-01", "SVRP-2026-02", "SVRP-2026-03", "SVRP-2026-04") if ref in page}
    assert shown == expected
    response = client_for(vru_staff).get(reverse("governance:actions_csv"), params)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == expected


def _as_csv_text(cell):
    if cell is None:
        return ""
    return cell.date().isoformat() if isinstance(cell, dt.datetime) else cell


def test_csv_and_xlsx_exports_have_the_same_columns_and_rows(actions, client_for, vru_staff):
    c = client_for(vru_staff)
    response = c.get(reverse("governance:actions_csv"))
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(c.get(reverse("governance:actions_xlsx")).getvalue())).active
    xlsx_rows = [[_as_csv_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows == xlsx_rows
    assert rows[0][:3] == ["Reference", "Action", "Owner"]
    # The due date is a date in the workbook (sortable and filterable there), not text.
    assert isinstance(next(sheet.iter_rows(min_row=2, values_only=True))[4], dt.datetime)
    assert [rows[1][0], rows[1][6]] == ["SVRP-2026-01", "Yes"]


def test_my_actions_lists_only_the_board_members_own(actions, client_for, board_member):
    page = client_for(board_member).get(reverse("governance:actions_mine")).content.decode()
    assert "SVRP-2026-01" in page and "SVRP-2026-02" in page
    assert "SVRP-2026-03" not in page


def test_a_board_member_updates_their_own_action_from_my_actions(actions, client_for, board_member):
    action = actions["mine_overdue"]
    p = f"a{action.pk}"
    response = client_for(board_member).post(
        reverse("governance:action_update", args=[action.reference]),
        {
            f"{p}-text": "Concordat sent.",
            f"{p}-status": "complete",
            **date_input(f"{p}-date", "19/05/2026"),
            "next": "/actions/mine/",
        },
    )
    assert response["Location"] == "/actions/mine/"
    action.refresh_from_db()
    assert action.status == "complete"
    assert action.completed_on == dt.date(2026, 5, 19)


def test_the_cached_action_log_shows_an_update_at_once_and_keeps_each_filters_choice(
    actions, svrp, client_for, board_member, vru_staff
):
    """Each page of each filter is rendered once per content version, for every viewer alike."""
    log = reverse("governance:actions")
    staff = client_for(vru_staff)
    before = staff.get(log, {"status": "complete"}).content.decode()
    assert "SVRP-2026-04" in before and "SVRP-2026-01" not in before
    everything = staff.get(log).content.decode()
    assert "SVRP-2026-01" in everything and 'value="complete" selected' not in everything
    action = actions["mine_overdue"]
    p = f"a{action.pk}"
    client_for(board_member).post(
        reverse("governance:action_update", args=[action.reference]),
        {f"{p}-text": "Concordat sent.", f"{p}-status": "complete", **date_input(f"{p}-date", "19/05/2026")},
    )
    completed = client_for(vru_staff).get(log, {"status": "complete"}).content.decode()
    assert "SVRP-2026-01" in completed and 'value="complete" selected' in completed


def test_a_board_member_cannot_update_another_members_action(actions, client_for, board_member):
    action = actions["other"]
    p = f"a{action.pk}"
    response = client_for(board_member).post(
        reverse("governance:action_update", args=[action.reference]),
        {f"{p}-text": "Hijack.", f"{p}-status": "closed", **date_input(f"{p}-date", "19/05/2026")},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open" and not action.updates.exists()
    page = client_for(board_member).get(action.get_absolute_url()).content.decode()
    assert "Add an update" not in page


@pytest.mark.parametrize("role", ["subgroup_chair", "data_provider"])
def test_other_roles_read_an_action_but_cannot_update_it(actions, client_for, request, role):
    user = request.getfixturevalue(role)
    action = actions["mine_open"]
    assert client_for(user).get(action.get_absolute_url()).status_code == 200
    assert (
        client_for(user).post(reverse("governance:action_update", args=[action.reference]), {}).status_code
        == 403
    )


def test_staff_update_any_action_and_see_its_history(actions, client_for, vru_staff):
    action = actions["other"]
    p = f"a{action.pk}"
    c = client_for(vru_staff)
    c.post(
        reverse("governance:action_update", args=[action.reference]),
        {f"{p}-text": "Chased.", f"{p}-status": "in_progress", **date_input(f"{p}-date", "20/05/2026")},
    )
    page = c.get(action.get_absolute_url()).content.decode()
    assert "Chased." in page
    assert "History of this action" in page
    assert "status: Open → In progress" in page


def test_an_update_with_errors_is_shown_again_with_messages(actions, client_for, board_member):
    action = actions["mine_open"]
    response = client_for(board_member).post(reverse("governance:action_update", args=[action.reference]), {})
    assert response.status_code == 422
    assert "Enter what has happened." in response.content.decode()
    assert not action.updates.exists()


def test_staff_add_an_action_and_an_owner_who_is_not_a_member_gets_a_message(
    svrp, client_for, vru_staff, board_member
):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 3, 10))
    url = reverse("governance:action_add", args=[meeting.pk])
    assert client_for(board_member).get(url).status_code == 403
    c = client_for(vru_staff)
    response = c.post(
        url, {"description": "Do it.", "owner": svrp.val.pk, **date_input("due_date", "01/04/2026")}
    )
    assert "Val Staff is not a current member" in response.content.decode()
    response = c.post(
        url, {"description": "Do it.", "owner": svrp.bea.pk, **date_input("due_date", "01/03/2026")}
    )
    assert "on or after the meeting that raised it" in response.content.decode()
    assert not Action.objects.exists()
    c.post(url, {"description": "Do it.", "owner": svrp.bea.pk, **date_input("due_date", "01/04/2026")})
    assert Action.objects.get().reference == "SVRP-2026-01"


def test_only_staff_edit_an_actions_details(actions, client_for, vru_staff, board_member):
    action = actions["mine_open"]
    url = reverse("governance:action_edit", args=[action.reference])
    assert client_for(board_member).get(url).status_code == 403
    client_for(vru_staff).post(
        url, {"description": "Reworded.", "owner": action.owner_id, **date_input("due_date", "30/09/2026")}
    )
    action.refresh_from_db()
    assert (action.description, action.due_date) == ("Reworded.", dt.date(2026, 9, 30))


def test_anonymous_visitors_are_sent_to_sign_in(actions, client):
    for url in (
        reverse("governance:actions"),
        reverse("governance:actions_mine"),
        actions["other"].get_absolute_url(),
    ):
        assert client.get(url)["Location"].startswith("/accounts/login/")
