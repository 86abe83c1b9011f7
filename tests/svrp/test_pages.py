from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.models import WorkerHeartbeat
from core.roles import Role
from svrp.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/admin/"])
def test_anonymous_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/accessibility/", "/published/"])
def test_public_pages_open_without_signing_in(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'lang="en-GB"' in response.content
    assert b"Skip to main content" in response.content
    assert b"SVRP Portal" in response.content


def test_signing_in_with_the_form_reaches_home(client, board_member):
    response = client.post(
        "/accounts/login/",
        {"username": "board.member", "password": "correct-horse-battery-staple"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Welcome" in response.text
    assert Role.BOARD_MEMBER.value in response.text


def test_wrong_password_shows_an_error_on_the_form(client, board_member):
    response = client.post("/accounts/login/", {"username": "board.member", "password": "wrong"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text


def test_sign_out_is_a_post(client_for, board_member):
    client = client_for(board_member)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_page_uses_the_vendored_assets_and_no_inline_script(client):
    html = client.get("/accessibility/").text
    assert "/static/css/app.css" in html
    assert '<script type="module" src="/static/js/init.mjs">' in html
    assert "<script>" not in html
    assert "https://" not in html.split("<body")[0]  # nothing loaded from a CDN


def test_healthz_names_database_and_broker(client):
    WorkerHeartbeat.objects.create(worker="celery@test", beat_at=timezone.now() - dt.timedelta(seconds=42))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "worker": "ok",
        "worker_heartbeat_age_seconds": 42,
    }


@pytest.mark.parametrize("age", [None, 181, 3600])
def test_healthz_says_when_no_worker_has_answered_lately_and_the_web_server_stays_up(client, age):
    if age is not None:
        WorkerHeartbeat.objects.create(
            worker="celery@test", beat_at=timezone.now() - dt.timedelta(seconds=age)
        )
    response = client.get("/healthz")
    assert response.status_code == 200  # the web server is well; a restart would not bring the worker back
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"] == "silent"
    assert response.json()["worker_heartbeat_age_seconds"] == age


def test_the_heartbeat_task_records_the_worker_and_beat_asks_for_it_every_minute(client):
    from core.tasks import worker_heartbeat
    from svrp.schedules import SCHEDULES

    worker_heartbeat.delay()
    assert client.get("/healthz").json()["worker"] == "ok"
    assert {s.task: s for s in SCHEDULES}["core.worker_heartbeat"].crontab == {"minute": "*"}


def test_healthz_answers_503_when_the_broker_does_not(client):
    original = celery_app.conf.broker_url, celery_app.conf.broker_write_url
    # Nothing listens on the discard port: a real refused connection, not a mock.
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url, celery_app.conf.broker_write_url = original
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"


def test_the_public_finds_every_published_page_from_the_sign_in_page(client):
    login = client.get("/accounts/login/").text
    assert 'href="/published/"' in login
    index = client.get("/published/").text
    for path in [
        "/published/membership/",
        "/published/terms-of-reference/",
        "/published/meetings/",
        "/published/crest/",
    ]:
        assert f'href="{path}"' in index
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/accessibility/", "Accessibility statement – SVRP Portal"),
        ("/published/", "What the partnership publishes – SVRP Portal"),
    ],
)
def test_the_browser_tab_names_the_page_then_the_service(client, path, title):
    assert f"<title>{title}</title>" in client.get(path).text


def test_a_form_with_errors_says_so_first_in_the_title(client):
    html = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"}).text
    assert "<title>Error: " in html


def _menu(client, path: str = "/") -> list[str]:
    import re

    page = client.get(path).content.decode()
    menu = page[page.index('id="navigation"') : page.index("</ul>", page.index('id="navigation"'))]
    return [
        re.sub(r"<[^>]+>", "", label).strip()
        for label in re.findall(r'class="govuk-service-navigation__link"[^>]*>(.*?)</', menu)
    ]


def test_the_registers_sit_under_one_partnership_section_so_the_menu_stays_short(client_for, vru_staff):
    staff = client_for(vru_staff)
    menu = _menu(staff)
    assert "Partnership" in menu
    assert not {"Membership", "Terms of Reference", "Theory of Change", "Crest tracker"} & set(menu)
    assert len(menu) <= 9, menu  # the items and "Sign out": one line at desktop width
    for path in ("/partnership/", "/membership/", "/terms-of-reference/", "/theory-of-change/", "/crest/"):
        page = staff.get(path).content.decode()
        current = page[page.index('id="navigation"') :].split('aria-current="page"')[1][:80]
        assert "Partnership" in current, path


def test_the_partnership_page_offers_the_crest_tracker_only_to_those_who_may_read_it(
    client_for, board_member, data_provider
):
    board = client_for(board_member).get("/partnership/").content.decode()
    assert 'href="/membership/"' in board and 'href="/crest/"' in board
    provider = client_for(data_provider).get("/partnership/").content.decode()
    assert 'href="/theory-of-change/"' in provider and 'href="/crest/"' not in provider
