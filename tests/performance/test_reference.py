from __future__ import annotations

import pytest
from django.core.management import call_command

from core import hooks
from demo import governance as demo_governance
from demo import loading as demo
from demo.performance import load_demo_data
from governance.models import Organisation
from governance.reference_registers import load_organisations
from performance.models import Area, Figure, Grant, Measure, Period, SurveyRound
from performance.reference import load_framework

pytestmark = pytest.mark.django_db


def test_the_framework_loads_after_the_registers_it_refers_to_and_its_demo_after_the_meetings():
    loaders = hooks.get_hooks(hooks.REFERENCE_LOADERS)
    assert loaders.index(load_organisations) < loaders.index(load_framework)
    assert demo.DEMO_LOADERS.index(demo_governance.load) < demo.DEMO_LOADERS.index(load_demo_data)


def test_load_reference_data_loads_the_tors_measures_with_their_codes_and_sources():
    call_command("load_reference_data", stdout=None)
    measures = {m.code: m for m in Measure.objects.select_related("data_source")}
    assert list(measures) == ["1.1.1.a", "1.1.1.b", "1.1.1.c", "1.1.1.d", "2.1.1.a", "2.2.1.a"]
    assert measures["1.1.1.a"].data_source.name == "Hampshire and Isle of Wight Integrated Care Board"
    assert measures["1.1.1.c"].text == (
        "Constabulary: number of police recorded non-domestic homicides - Home Office measure"
    )
    assert [m.code for m in measures.values() if m.home_office] == ["1.1.1.a", "1.1.1.b", "1.1.1.c"]
    assert [m.code for m in measures.values() if m.derived] == ["2.1.1.a", "2.2.1.a"]
    assert measures["2.2.1.a"].unit == Measure.Unit.PERCENTAGE
    assert [a.name for a in Area.objects.all()] == [
        "Hampshire",
        "Isle of Wight",
        "Portsmouth",
        "Southampton",
        "HIPS total",
    ]
    assert [p.label for p in Period.objects.all()][0::7] == ["2025/26 Q1", "2026/27 Q4"]


def test_loading_again_creates_nothing_and_keeps_what_users_edited():
    load_framework()
    Measure.objects.filter(code="1.1.1.d").update(short_title="Serious violence (edited)", target=900)
    assert load_framework().startswith("Performance framework: 0 outcomes, 0 measures, 0 areas")
    edited = Measure.objects.get(code="1.1.1.d")
    assert (edited.short_title, edited.target) == ("Serious violence (edited)", 900)
    assert Organisation.objects.filter(name__contains="Constabulary").count() == 1


def test_demo_data_gives_every_measure_and_area_two_years_and_is_marked_as_demo():
    first = demo.load_all()
    figures = Figure.objects.count()
    demo.load_all()
    assert Figure.objects.count() == figures
    assert not Figure.objects.filter(is_demo=False).exists()
    assert (
        Figure.objects.filter(measure__code="1.1.1.a", area__code="portsmouth", age_band="all").count() == 8
    )
    homicides = set(
        Figure.objects.filter(measure__code="1.1.1.c")
        .exclude(area__code="hips")
        .values_list("value", flat=True)
    )
    assert homicides <= {0, 1, 2, 3}
    assert SurveyRound.objects.filter(is_demo=True).count() == 2
    assert Grant.objects.filter(is_demo=True).count() == 4
    assert any("Performance demo" in line for line in first)
