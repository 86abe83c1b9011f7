"""Verifying figures: the page VRU staff check figures on, and verifying the ones they tick at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.roles import Role
from performance import services
from performance.models import Area, Figure

from . import factories
from .conftest import COLLECTING

pytestmark = pytest.mark.django_db


def _submitted(code: str, value: int, area: str = "hips") -> Figure:
    return factories.figure(code, COLLECTING, value, area=area, status=Figure.Status.SUBMITTED)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize(
    ("roles", "heading"),
    [
        ((Role.VRU_STAFF,), "Verify figures"),
        ((Role.DATA_PROVIDER,), "Submit figures"),
        ((Role.VRU_STAFF, Role.DATA_PROVIDER), "Submit and verify figures"),
    ],
)
def test_the_figures_page_is_headed_for_what_its_user_does_there(
    client, make_user, framework, roles, heading
):
    client.force_login(make_user(*roles))
    page = client.get("/performance/submit/").content.decode()
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in page
    assert f"<title>{heading}" in page


def test_submitted_by_names_the_person_in_the_register_not_the_login(client, provider, vru_staff, framework):
    provider.first_name, provider.last_name = "Login", "Name"
    provider.save()
    services.figure_save(
        acting_user=provider,
        measure=framework["1.1.1.b"],
        period=factories.period(COLLECTING),
        area=Area.objects.get(code="hips"),
        value=Decimal(150),
        submit=True,
    )
    client.force_login(vru_staff)
    page = client.get("/performance/submit/").content.decode()
    assert "Dana Analyst" in page  # the register's full name (tests/performance/conftest.py)
    assert "Login Name" not in page and "data.provider" not in page


def test_a_submitter_without_a_register_entry_is_named_by_their_account(
    client, make_user, vru_staff, framework
):
    figure = _submitted("1.1.1.b", 150)
    figure.submitted_by = make_user(
        Role.DATA_PROVIDER, username="no.person", first_name="Nora", last_name="Nobody"
    )
    figure.save()
    client.force_login(vru_staff)
    assert "Nora Nobody" in client.get("/performance/submit/").content.decode()


def test_a_changed_figure_shows_its_previous_value(client, provider, vru_staff, framework):
    arguments = {
        "acting_user": provider,
        "measure": framework["1.1.1.b"],
        "period": factories.period(COLLECTING),
        "area": Area.objects.get(code="hips"),
        "submit": True,
    }
    services.figure_save(value=Decimal(150), **arguments)
    services.figure_save(value=Decimal(175), **arguments)
    client.force_login(vru_staff)
    page = client.get("/performance/submit/").content.decode()
    assert "Previously: 150" in page and "Now: 175" in page


def test_a_figure_changed_after_verification_shows_the_verified_and_the_previous_value(
    client, provider, vru_staff, framework
):
    arguments = {
        "acting_user": provider,
        "measure": framework["1.1.1.b"],
        "period": factories.period(COLLECTING),
        "area": Area.objects.get(code="hips"),
        "submit": True,
    }
    figure = services.figure_save(value=Decimal(150), **arguments)
    services.figure_verify(acting_user=vru_staff, figures=[figure])
    services.figure_save(value=Decimal(160), reason="Late records.", **arguments)
    services.figure_save(value=Decimal(170), reason="Later records.", **arguments)
    client.force_login(vru_staff)
    page = client.get("/performance/submit/").content.decode()
    assert "Verified: 150" in page and "Previously: 160" in page and "Now: 170" in page


def test_a_figure_submitted_once_shows_no_previous_value(client, vru_staff, framework):
    _submitted("1.1.1.b", 150)
    client.force_login(vru_staff)
    assert "Previously" not in client.get("/performance/submit/").content.decode()


def test_vru_staff_verify_the_figures_they_ticked_in_one_action(client, vru_staff, framework):
    ticked = [_submitted("1.1.1.b", 150), _submitted("1.1.1.c", 3), _submitted("1.1.1.d", 1700)]
    left = _submitted("1.1.1.a", 40)
    client.force_login(vru_staff)
    page = client.get("/performance/submit/").content.decode()
    assert "Verify selected figures" in page
    assert all(f'name="figures" type="checkbox" value="{f.pk}"' in page for f in [*ticked, left])
    response = client.post(
        "/performance/verify/", {"figures": [f.pk for f in ticked], "action": "selected"}, follow=True
    )
    assert "3 figures verified." in _messages(response)
    assert set(Figure.objects.verified().values_list("pk", flat=True)) == {f.pk for f in ticked}
    assert all(f.verified_by == vru_staff for f in Figure.objects.verified())
    left.refresh_from_db()
    assert left.status == Figure.Status.SUBMITTED


def test_verifying_one_ticked_figure_says_so_in_the_singular(client, vru_staff, framework):
    figure = _submitted("1.1.1.b", 150)
    client.force_login(vru_staff)
    response = client.post(
        "/performance/verify/", {"figures": [figure.pk], "action": "selected"}, follow=True
    )
    assert "1 figure verified." in _messages(response)
    assert "1 figures" not in _messages(response)


def test_verifying_with_nothing_ticked_asks_for_a_choice(client, vru_staff, framework):
    _submitted("1.1.1.b", 150)
    client.force_login(vru_staff)
    response = client.post("/performance/verify/", {"action": "selected"}, follow=True)
    assert "Select the figures to verify." in _messages(response)
    assert not Figure.objects.verified().exists()


@pytest.mark.parametrize("kind", ["draft", "verified", "locked", "gone"])
def test_a_selection_holding_a_figure_that_may_not_be_verified_verifies_none_and_says_why(
    client, vru_staff, framework, kind
):
    good = _submitted("1.1.1.b", 150)
    if kind == "locked":
        earlier = COLLECTING.previous()
        bad = factories.figure("1.1.1.c", earlier, 3, status=Figure.Status.SUBMITTED)
        factories.period(earlier, locked=True)
        bad_id, expected = bad.pk, f"1.1.1.c {bad.measure.short_title}, HIPS"
    elif kind == "gone":
        bad_id, expected = 999_999, "1 of the figures chosen no longer exists."
    else:
        status = Figure.Status.DRAFT if kind == "draft" else Figure.Status.VERIFIED
        bad = factories.figure("1.1.1.c", COLLECTING, 3, status=status)
        bad_id, expected = bad.pk, f"1.1.1.c {bad.measure.short_title}, HIPS"
    reasons = {
        "draft": "is a draft",
        "verified": "is already verified",
        "locked": "is in a locked quarter",
        "gone": "no longer exists",
    }
    client.force_login(vru_staff)
    response = client.post(
        "/performance/verify/", {"figures": [good.pk, bad_id], "action": "selected"}, follow=True
    )
    said = _messages(response)
    assert "No figure was verified." in said and expected in said and reasons[kind] in said
    good.refresh_from_db()
    assert good.status == Figure.Status.SUBMITTED  # all or nothing


@pytest.mark.parametrize("hostile", ["x", "-1", "9" * 400, "٣"])
def test_a_hostile_figure_number_in_a_selection_is_not_found(client, vru_staff, framework, hostile):
    good = _submitted("1.1.1.b", 150)
    client.force_login(vru_staff)
    assert client.post("/performance/verify/", {"figures": [good.pk, hostile]}).status_code == 404
    good.refresh_from_db()
    assert good.status == Figure.Status.SUBMITTED


@pytest.mark.parametrize("role", ["board_member", "subgroup_chair", "data_provider", "administrator"])
def test_only_vru_staff_verify_a_selection(request, client, framework, role):
    figure = _submitted("1.1.1.b", 150)
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert (
        client.post("/performance/verify/", {"figures": [figure.pk], "action": "selected"}).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        services.figures_verify(acting_user=user, figure_ids=[figure.pk])
    figure.refresh_from_db()
    assert figure.status == Figure.Status.SUBMITTED


def test_a_signed_in_user_without_a_role_cannot_verify_a_selection(client, make_user, framework):
    figure = _submitted("1.1.1.b", 150)
    client.force_login(make_user())
    assert client.post("/performance/verify/", {"figures": [figure.pk]}).status_code == 403
    figure.refresh_from_db()
    assert figure.status == Figure.Status.SUBMITTED


def test_an_anonymous_visitor_cannot_verify_a_selection(client, framework):
    figure = _submitted("1.1.1.b", 150)
    response = client.post("/performance/verify/", {"figures": [figure.pk]})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    figure.refresh_from_db()
    assert figure.status == Figure.Status.SUBMITTED


def test_the_service_refuses_a_selection_as_a_whole(vru_staff, framework):
    good, draft = _submitted("1.1.1.b", 150), factories.figure("1.1.1.c", COLLECTING, 3, status="draft")
    with pytest.raises(ValidationError) as refused:
        services.figures_verify(acting_user=vru_staff, figure_ids=[good.pk, draft.pk])
    assert refused.value.messages == [
        f"1.1.1.c {draft.measure.short_title}, HIPS total, all ages, {COLLECTING.label} is a draft: "
        "its organisation has not submitted it."
    ]
    assert not Figure.objects.verified().exists()


def test_the_lock_service_refuses_a_quarter_that_has_not_ended(vru_staff, framework):
    current = factories.period(COLLECTING.next())
    with pytest.raises(ValidationError, match="has not ended yet"):
        services.period_lock(acting_user=vru_staff, period=current)
    current.refresh_from_db()
    assert not current.is_locked
    ended = services.period_lock(acting_user=vru_staff, period=factories.period(COLLECTING))
    assert ended.is_locked


@pytest.mark.parametrize("waiting", [2, 15])
def test_the_verify_page_query_count_does_not_grow_with_figures_waiting(
    client, provider, vru_staff, framework, django_assert_num_queries, waiting
):
    period = factories.period(COLLECTING)
    areas = sorted(Area.objects.all(), key=lambda a: not a.is_total)  # a HIPS total at both sizes
    measures = [framework[code] for code in ("1.1.1.b", "1.1.1.c", "1.1.1.d")]
    for n in range(waiting):
        measure, area = measures[n % 3], areas[(n // 3) % len(areas)]
        for value in (10 + n, 20 + n):  # each submitted twice: a history to read
            services.figure_save(
                acting_user=provider,
                measure=measure,
                period=period,
                area=area,
                value=Decimal(value),
                submit=True,
            )
    assert Figure.objects.submitted().count() == waiting
    client.force_login(vru_staff)
    client.get("/performance/submit/")  # warm the session
    # Session, user, groups (3); the collecting period; the figures with their submitters, their
    # history, the four areas' count and the HIPS totals' other areas (4); the quarters; the session
    # save in a savepoint (3).
    with django_assert_num_queries(12):
        response = client.get("/performance/submit/")
    assert response.content.decode().count('name="figures"') == waiting
