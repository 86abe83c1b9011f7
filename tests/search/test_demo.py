"""On `make run`'s demo data, every result each role is shown opens for that role."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from search.selectors import search
from tests.governance.test_make_run_data import made_run  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

ACCOUNTS = ["vru.staff", "board.member", "subgroup.chair", "data.provider", "admin"]


def test_every_demo_result_opens_for_each_role(made_run):  # noqa: F811
    for username in ACCOUNTS:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        found = list(search(user, "partnership")) + list(search(user, "violence"))
        assert found, username
        for url in sorted({entry.url for entry in found})[:60]:
            assert client.get(url).status_code == 200, (username, url)
