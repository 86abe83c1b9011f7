"""Schemathesis fuzzes every operation of the live schema as a data provider would call it.

In process (WSGI): no network, no server to start. Bounded and derandomised so CI stays quick and a
failure reproduces. It fails on any server error and on any answer the schema does not describe.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from api.services import api_token_create
from core.roles import Role
from performance.models import Area, Figure, Measure, Period
from performance.reference import load_framework
from tests.crest.factories import RecommendationFactory

from .factories import ActionFactory, MeetingFactory, OrganisationFactory, PersonFactory, publish_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_headers(make_user):
    """A data provider of the Constabulary with a token, and something for every list to show."""
    constabulary = OrganisationFactory(name="Hampshire and Isle of Wight Constabulary", slug="constabulary")
    user = make_user(Role.DATA_PROVIDER, username="analyst")
    PersonFactory(full_name="Ana Lyst", organisation=constabulary, user=user)
    publish_minutes(MeetingFactory())
    ActionFactory(reference="SVRP-2026-01", organisation=constabulary)
    # The framework with the Constabulary's measures, a reported figure and a published recommendation,
    # so reads return rows and a well-formed figure from the fuzzer can be saved.
    load_framework()
    Figure.objects.create(
        measure=Measure.objects.get(code="1.1.1.d"),
        period=Period.objects.order_by("year", "quarter").first(),
        area=Area.objects.get(code="hips"),
        value=120,
        status=Figure.Status.SUBMITTED,
    )
    RecommendationFactory(number="4.1", publishable=True)
    _token, key = api_token_create(acting_user=user, name="Fuzzer")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def api_schema(provider_headers):
    # The WSGI app runs inside the test's transaction: keep Django from closing the connection at the
    # end of each request, as its own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), headers=provider_headers)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Each operation, in both of Schemathesis's modes: data that fits the schema, and data that does not
# (which must be refused with a 4xx, never a 5xx). Bounded and derandomised: quick, and reproducible.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def unsendable(value: object) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and (not value or any(isinstance(item, dict | list) for item in value))


def test_the_api_answers_every_request_as_its_schema_says(api_schema, provider_headers):
    # schemathesis.pytest.from_fixture fails under pytest 9 (it reads Function._nodeid, which pytest 9
    # no longer has), so the operations are driven here with Hypothesis directly: same cases, same checks.
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14
    for operation in operations:
        # A figure the schema allows may still break a rule no schema can say (another organisation's
        # measure, a count with decimals, a locked quarter): it is refused with a 400 naming the field,
        # as tests/api/test_performance.py asserts. Every other check, the server-error one included,
        # runs on the writes too.
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @FUZZ
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                # A query value the fuzzer builds as an object or a nested list has no form in a URL:
                # it goes on the wire as text that may well be valid ("page={}" is sent as "page="),
                # so the fuzzer would blame the server for accepting what it never received.
                assume(not any(unsendable(value) for value in (case.query or {}).values()))
                excluded = [positive_data_acceptance] if case.method.upper() == "POST" else []
                case.call_and_validate(headers=provider_headers, excluded_checks=excluded)

            try:
                check()
            # Collect every operation's failure, then report them all.
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} [{mode}]: {exc}")
    assert not failures, "\n\n".join(failures)
