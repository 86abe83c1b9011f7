from __future__ import annotations

import pytest

from core.models import SignInEvent
from tests.core.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_sign_in_is_recorded_with_its_address_and_browser(client, board_member):
    client.post(
        "/accounts/login/",
        {"username": "board.member", "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Firefox/140",
    )
    event = SignInEvent.objects.get()
    assert (event.user, event.username, event.outcome) == (board_member, "board.member", "success")
    assert (event.ip_address, event.user_agent) == ("198.51.100.7", "Firefox/140")


def test_a_failed_sign_in_keeps_the_username_tried_but_never_the_password(client, board_member):
    client.post("/accounts/login/", {"username": "board.membr", "password": "Secret-guess-1"})
    event = SignInEvent.objects.get()
    assert (event.user, event.username, event.outcome) == (None, "board.membr", "failure")
    assert "Secret-guess-1" not in str(list(SignInEvent.objects.values()))


def test_superusers_read_sign_in_events_but_no_one_edits_them(client_for, superuser, board_member):
    SignInEvent.objects.create(username="board.member", outcome="failure")
    client = client_for(superuser)
    listing = client.get("/admin/core/signinevent/")
    assert listing.status_code == 200 and "board.member" in listing.text
    assert client.get("/admin/core/signinevent/add/").status_code == 403
    event = SignInEvent.objects.first()
    assert client.post(f"/admin/core/signinevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SignInEvent.objects.filter(pk=event.pk).exists()


def test_changes_to_a_user_are_kept_with_who_made_them_and_shown_in_the_admin(
    client_for, superuser, board_member
):
    client = client_for(superuser)
    response = client.post(
        f"/admin/auth/user/{board_member.pk}/change/",
        {
            "username": "board.member",
            "first_name": "Beatrice",
            "last_name": board_member.last_name,
            "email": board_member.email,
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            "groups": list(board_member.groups.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302, response.content
    latest = board_member.history.latest()
    assert latest.first_name == "Beatrice"
    assert latest.history_user == superuser
    assert not hasattr(latest, "password")
    history_page = client.get(f"/admin/auth/user/{board_member.pk}/history/")
    assert history_page.status_code == 200
    assert "&rarr;&nbsp;&nbsp;Beatrice" in history_page.text


def test_signing_in_does_not_add_a_history_row(client, board_member):
    before = board_member.history.count()
    client.post("/accounts/login/", {"username": "board.member", "password": TEST_PASSWORD})
    assert board_member.history.count() == before
