"""A forgotten password: Django's reset views under /accounts/, the same answer for every address,
and a limit per address and per IP address."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
LINK = re.compile(r"https?://\S+(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def known(make_user):
    return make_user(username="kim", email="kim@example.org")


def test_the_sign_in_page_links_to_the_reset_and_the_lost_authenticator_pages(client):
    page = client.get("/accounts/login/").content.decode()
    assert f'href="{RESET}"' in page
    assert 'href="/accounts/two-factor/lost/"' in page


def test_the_reset_and_lost_authenticator_pages_need_no_sign_in(client):
    assert client.get(RESET).status_code == 200
    page = client.get("/accounts/two-factor/lost/")
    assert page.status_code == 200
    assert "backup code" in page.content.decode()


def test_a_known_and_an_unknown_address_get_the_same_answer(client, known):
    answer_known = client.post(RESET, {"email": "kim@example.org"})
    answer_unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert answer_known.status_code == answer_unknown.status_code == 302
    assert answer_known["Location"] == answer_unknown["Location"]
    done_known = client.get(answer_known["Location"]).content
    done_unknown = client.get(answer_unknown["Location"]).content
    assert done_known == done_unknown
    assert [m.to for m in mail.outbox] == [["kim@example.org"]]


def test_the_emailed_link_sets_a_new_password_once(client, known):
    client.post(RESET, {"email": "KIM@example.org"})
    path = LINK.search(mail.outbox[0].body).group(1)
    form_url = client.get(path)["Location"]
    response = client.post(
        form_url, {"new_password1": "another fine passphrase", "new_password2": "another fine passphrase"}
    )
    assert response["Location"] == "/accounts/password/reset/done/"
    known.refresh_from_db()
    assert known.check_password("another fine passphrase")
    again = client.get(path)
    assert again.status_code == 200
    assert "This link does not work" in again.content.decode()


def test_an_address_gets_no_more_emails_past_its_limit_and_the_same_answer(client, known, settings):
    settings.SVRP_PASSWORD_RESET_PER_ADDRESS = 2
    answers = [client.post(RESET, {"email": "kim@example.org"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert len(mail.outbox) == 2


def test_an_ip_address_past_its_limit_is_told_to_wait(client, known, settings):
    settings.SVRP_PASSWORD_RESET_PER_IP = 3
    for n in range(3):
        assert client.post(RESET, {"email": f"someone{n}@example.org"}).status_code == 302
    refused = client.post(RESET, {"email": "kim@example.org"})
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert mail.outbox == []


def test_an_invalid_address_is_a_form_error(client):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()
