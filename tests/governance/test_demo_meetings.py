from __future__ import annotations

import pytest
from django.core.management import call_command

from governance.models import Action, Meeting, Minutes, Person

pytestmark = pytest.mark.django_db


def test_demo_data_links_the_demo_accounts_and_adds_a_living_year_once(frozen_today, settings):
    settings.DEMO_PASSWORD = "demo-password"
    call_command("create_demo_accounts", force=True)
    call_command("load_demo_data", force=True)

    board = Person.objects.get(user__username="board.member")
    assert board.organisation.name == "Portsmouth City Council"
    assert (
        Person.objects.get(user__username="subgroup.chair").memberships.get(group__short_name="DAWG").role
        == "chair"
    )
    assert Person.objects.get(user__username="data.provider").organisation.name == (
        "Hampshire and Isle of Wight Constabulary"
    )
    assert Person.objects.get(user__username="vru.staff").organisation.short_name == "VRU"

    svrp = Meeting.objects.filter(group__short_name="SVRP", is_demo=True)
    assert svrp.filter(date__lt=frozen_today).count() == 4
    assert svrp.filter(date__gte=frozen_today, status="scheduled").count() == 1
    assert all("demonstration" in m.title for m in Meeting.objects.all())
    assert {m.date.strftime("%A") for m in svrp} == {"Tuesday"}  # quarterly, on a working day
    assert Minutes.objects.filter(status="published").count() == 3
    assert Action.objects.overdue(frozen_today).filter(owner=board).exists()
    assert Action.objects.filter(is_demo=False).count() == 0
    assert (
        Person.objects.filter(is_demo=True, full_name__endswith="(demo)").count()
        == Person.objects.filter(is_demo=True).count()
    )

    counts = (Meeting.objects.count(), Action.objects.count(), Person.objects.count())
    call_command("load_demo_data", force=True)
    assert (Meeting.objects.count(), Action.objects.count(), Person.objects.count()) == counts
