"""A figure's rules live on the model: the form, the API, the import and the service refuse the same
figure with the same words, and the rules of time (a quarter must have ended, and not be locked) hold
in every one of them."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.quarters import FinancialQuarter
from performance import services
from performance.forms import FigureForm
from performance.models import Area, Figure, Period
from tests.performance import factories
from tests.performance.conftest import COLLECTING, TODAY

pytestmark = pytest.mark.django_db

CURRENT = FinancialQuarter(2026, 2)  # the quarter in progress on the frozen "today"
FUTURE = FinancialQuarter(2026, 4)  # 2026/27 Q4, not started


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def payload(quarter: FinancialQuarter, **change):
    return {
        "measure": "1.1.1.d",
        "period": quarter.label,
        "area": "hips",
        "age_band": "all",
        "value": "12",
    } | change


def by_form(user, quarter, **change):
    data = payload(quarter, **change)
    period = factories.period(quarter)
    form = FigureForm(
        {
            "measure": user and factories_measure(data["measure"]).pk,
            "period": period.pk,
            "area": Area.objects.get(code=data["area"]).pk,
            "age_band": data["age_band"],
            "value": data["value"],
            "denominator": data.get("denominator", ""),
        },
        user=user,
    )
    assert not form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


def factories_measure(code):
    from performance.models import Measure

    return Measure.objects.get(code=code)


def by_api(api_for, user, quarter, **change):
    factories.period(quarter)
    response = api_for(user).post("/api/figures/", payload(quarter, **change), format="json")
    assert response.status_code == 400
    return response.json()


def by_import(user, quarter, **change):
    factories.period(quarter)
    data = payload(quarter, **change)
    columns = ["measure", "period", "area", "age_band", "value", "numerator", "denominator", "note"]
    line = ",".join(str(data.get(c, "")) for c in columns)
    upload = io.BytesIO((",".join(columns) + "\n" + line + "\n").encode())
    result = services.figures_import(acting_user=user, upload=upload, filename="figures.csv")
    assert not result.ok
    errors: dict[str, list[str]] = {}
    for error in result.errors:
        errors.setdefault(error.column, []).append(error.message)
    return errors


def by_service(user, quarter, **change):
    data = payload(quarter, **change)
    with pytest.raises(ValidationError) as caught:
        services.figure_save(
            acting_user=user,
            measure=factories_measure(data["measure"]),
            period=factories.period(quarter),
            area=Area.objects.get(code=data["area"]),
            age_band=data["age_band"],
            value=Decimal(data["value"]),
            denominator=Decimal(data["denominator"]) if "denominator" in data else None,
        )
    return caught.value.message_dict


CASES = [
    pytest.param(CURRENT, {}, "period", "2026/27 Q2 has not ended yet", id="quarter-in-progress"),
    pytest.param(FUTURE, {}, "period", "2026/27 Q4 has not ended yet", id="future-quarter"),
    pytest.param(COLLECTING, {"value": "12.5"}, "value", "A count is a whole number.", id="count"),
    pytest.param(
        COLLECTING,
        {"denominator": "0"},
        "denominator",
        "The denominator must be more than 0.",
        id="denominator",
    ),
    pytest.param(
        COLLECTING, {"age_band": "under_25"}, "age_band", "This measure is not reported", id="under-25"
    ),
]


@pytest.mark.parametrize(("quarter", "change", "field", "message"), CASES)
def test_each_figure_rule_refuses_the_same_figure_through_form_api_import_and_service(
    api_for, framework, provider, quarter, change, field, message
):
    if change.get("age_band") == "under_25":
        assert not factories_measure("1.1.1.d").reports_under_25
    if "value" in change:
        assert factories_measure("1.1.1.d").is_count
    answers = {
        "form": by_form(provider, quarter, **change),
        "api": by_api(api_for, provider, quarter, **change),
        "import": by_import(provider, quarter, **change),
        "service": by_service(provider, quarter, **change),
    }
    for caller, errors in answers.items():
        if caller == "form" and field == "period":
            # The form does not even offer a quarter that has not ended: refused on the same field.
            assert errors.get("period"), errors
            continue
        assert any(message in m for m in errors.get(field, [])), (caller, errors)
    assert not Figure.objects.exists()


def test_a_locked_quarter_refuses_the_same_way_everywhere(api_for, framework, provider):
    factories.period(COLLECTING, locked=True)
    message = "2026/27 Q1 is locked"
    assert any(message in m for m in by_api(api_for, provider, COLLECTING)["period"])
    assert any(message in m for m in by_import(provider, COLLECTING)["period"])
    assert any(message in m for m in by_service(provider, COLLECTING)["period"])


def test_the_quarter_menu_offers_ended_unlocked_quarters_and_defaults_to_the_one_being_collected(
    framework, provider
):
    for quarter in (FinancialQuarter(2025, 4), COLLECTING, CURRENT, FUTURE):
        factories.period(quarter)
    form = FigureForm(user=provider)
    offered = [p.fq for p in form.fields["period"].queryset]
    assert CURRENT not in offered and FUTURE not in offered
    assert offered[0] == COLLECTING
    assert form.initial["period"].fq == COLLECTING


def test_a_figure_for_a_just_ended_quarter_is_accepted(framework, provider):
    figure = services.figure_save(
        acting_user=provider,
        measure=factories_measure("1.1.1.d"),
        period=factories.period(COLLECTING),
        area=Area.objects.get(code="hips"),
        value=Decimal(12),
    )
    assert figure.period.fq == COLLECTING


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offset=st.integers(min_value=-8, max_value=8),
    day=st.dates(min_value=dt.date(2025, 4, 1), max_value=dt.date(2028, 3, 31)),
)
def test_no_figure_ever_exists_for_a_quarter_not_yet_ended(framework, provider, offset, day):
    quarter = FinancialQuarter.of(day).minus(offset)
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        period, _ = Period.objects.get_or_create(
            year=quarter.year, quarter=quarter.quarter, defaults={"deadline": Period.for_fq(quarter).deadline}
        )
        with contextlib.suppress(ValidationError):
            services.figure_save(
                acting_user=provider,
                measure=factories_measure("1.1.1.d"),
                period=period,
                area=Area.objects.get(code="hips"),
                value=Decimal(3),
            )
        for figure in Figure.objects.select_related("period"):
            assert figure.period.fq.end < day
        Figure.objects.all().delete()
