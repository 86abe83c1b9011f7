from __future__ import annotations

import contextlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from governance.quarters import FinancialQuarter
from performance import services
from performance.models import Area, Figure, FigureCorrection, Grant, Period, SpendReturn

from . import factories
from .conftest import COLLECTING

pytestmark = pytest.mark.django_db

HEADER = "measure,period,area,age_band,value,numerator,denominator,note\n"


def csv_file(*rows: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(rows) + "\n").encode())


def save(user, measure, value, *, area="hips", band="all", submit=False, quarter=COLLECTING, reason=""):
    return services.figure_save(
        reason=reason,
        acting_user=user,
        measure=measure,
        period=factories.period(quarter),
        area=Area.objects.get(code=area),
        age_band=band,
        value=Decimal(value),
        submit=submit,
    )


def test_a_data_provider_saves_a_draft_then_submits_and_vru_staff_verify_it(provider, framework, vru_staff):
    figure = save(provider, framework["1.1.1.b"], 120)
    assert figure.status == Figure.Status.DRAFT

    assert services.figure_submit(acting_user=provider, figures=[figure]) == 1
    figure.refresh_from_db()
    assert figure.status == Figure.Status.SUBMITTED and figure.submitted_by == provider

    assert services.figure_verify(acting_user=vru_staff, figures=[figure]) == 1
    figure.refresh_from_db()
    assert figure.status == Figure.Status.VERIFIED and figure.verified_by == vru_staff
    assert figure.history.count() == 3


def test_a_data_provider_cannot_enter_another_organisations_measure(provider, framework):
    with pytest.raises(PermissionDenied):
        save(provider, framework["1.1.1.a"], 30)  # the ICB's measure
    assert not Figure.objects.exists()


def test_nobody_types_in_a_derived_measure(provider, framework, vru_staff):
    for user in (provider, vru_staff):
        with pytest.raises(PermissionDenied):
            save(user, framework["2.1.1.a"], 9)


def test_a_data_provider_cannot_verify_and_vru_staff_cannot_submit(provider, framework, vru_staff):
    figure = save(provider, framework["1.1.1.b"], 120, submit=True)
    with pytest.raises(PermissionDenied):
        services.figure_verify(acting_user=provider, figures=[figure])
    with pytest.raises(PermissionDenied):
        save(vru_staff, framework["1.1.1.b"], 121)
    figure.refresh_from_db()
    assert figure.status == Figure.Status.SUBMITTED and figure.value == 120


def test_changing_a_verified_figure_sends_it_back_for_verification(provider, framework, vru_staff):
    figure = save(provider, framework["1.1.1.b"], 120, submit=True)
    services.figure_verify(acting_user=vru_staff, figures=[figure])
    figure = save(provider, framework["1.1.1.b"], 125, submit=True, reason="Revised by the source.")
    assert figure.status == Figure.Status.SUBMITTED and figure.verified_at is None


def test_under_25_figures_only_for_measures_reported_by_age(provider, framework):
    assert save(provider, framework["1.1.1.b"], 40, band="under_25").age_band == "under_25"
    with pytest.raises(ValidationError):
        save(provider, framework["1.1.1.d"], 40, band="under_25")


def test_a_locked_period_refuses_changes_and_a_correction_records_old_value_reason_and_who(
    provider, framework, vru_staff
):
    figure = save(provider, framework["1.1.1.c"], 2, submit=True)
    services.figure_verify(acting_user=vru_staff, figures=[figure])
    services.period_lock(acting_user=vru_staff, period=figure.period)

    with pytest.raises(ValidationError, match="locked"):
        save(provider, framework["1.1.1.c"], 3, submit=True)
    with pytest.raises(PermissionDenied):
        services.figure_correct(
            acting_user=provider, figure=figure, new_value=Decimal(3), reason="Late record."
        )
    with pytest.raises(ValidationError):
        services.figure_correct(acting_user=vru_staff, figure=figure, new_value=Decimal(3), reason=" ")

    correction = services.figure_correct(
        acting_user=vru_staff, figure=figure, new_value=Decimal(3), reason="A homicide was reclassified."
    )
    figure.refresh_from_db()
    assert figure.value == 3 and figure.status == Figure.Status.VERIFIED
    assert (correction.old_value, correction.new_value, correction.corrected_by) == (2, 3, vru_staff)


def test_a_figure_of_an_open_period_is_edited_not_corrected(provider, framework, vru_staff):
    figure = save(provider, framework["1.1.1.c"], 2, submit=True)
    with pytest.raises(ValidationError):
        services.figure_correct(acting_user=vru_staff, figure=figure, new_value=Decimal(3), reason="Why.")
    assert not FigureCorrection.objects.exists()


def test_only_vru_staff_lock_a_period(provider, framework):
    period = factories.period(COLLECTING)
    with pytest.raises(PermissionDenied):
        services.period_lock(acting_user=provider, period=period)
    period.refresh_from_db()
    assert not period.is_locked


def test_the_database_allows_one_figure_per_measure_period_area_and_age(framework):
    factories.figure("1.1.1.b", COLLECTING, 10)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.figure("1.1.1.b", COLLECTING, 11)


# Import ------------------------------------------------------------------------------------------


def test_an_upload_of_valid_rows_submits_every_figure(provider, framework):
    upload = csv_file(
        "1.1.1.b,2026/27 Q1,Hampshire,all,180,,,",
        "1.1.1.b,2026/27 Q1,Hampshire,under 25,80,,,",
        "1.1.1.c,2026-27 Q1,hips,all,2,,,One in Southampton.",
    )
    result = services.figures_import(acting_user=provider, upload=upload, filename="q1.csv")
    assert result.ok and result.saved == 3
    assert set(Figure.objects.values_list("status", flat=True)) == {Figure.Status.SUBMITTED}
    assert Figure.objects.get(measure__code="1.1.1.c").note == "One in Southampton."


def test_one_bad_row_imports_nothing_and_each_error_names_its_row_and_column(provider, framework):
    upload = csv_file(
        "1.1.1.b,2026/27 Q1,Hampshire,all,180,,,",
        "1.1.1.b,2026/27 Q1,Hampshire,all,-1,,,",
        "1.1.1.a,2026/27 Q1,Portsmouth,all,9,,,",
        "1.1.1.c,2026/27 Q5,Gosport,all,many,,,",
    )
    result = services.figures_import(acting_user=provider, upload=upload, filename="q1.csv")

    assert not Figure.objects.exists()
    assert not result.ok
    messages = [str(error) for error in result.errors]
    assert "Row 3, column “value”: A figure cannot be negative." in messages
    assert "Row 4, column “measure”: 1.1.1.a is not one of your organisation's measures." in messages
    assert {(e.row, e.column) for e in result.errors if e.row == 5} == {
        (5, "period"),
        (5, "area"),
        (5, "value"),
    }


def test_a_row_repeated_in_the_file_is_an_error(provider, framework):
    upload = csv_file("1.1.1.d,2026/27 Q1,HIPS total,all,800,,,", "1.1.1.d,2026/27 Q1,hips,all,801,,,")
    result = services.figures_import(acting_user=provider, upload=upload, filename="q1.csv")
    assert [str(e) for e in result.errors] == ["Row 3, column “measure”: This figure is also on row 2."]
    assert not Figure.objects.exists()


def test_a_locked_period_in_an_upload_is_refused(provider, framework):
    factories.period(COLLECTING, locked=True)
    result = services.figures_import(
        acting_user=provider, upload=csv_file("1.1.1.d,2026/27 Q1,hips,all,800,,,"), filename="q1.csv"
    )
    assert result.errors[0].column == "period" and "locked" in result.errors[0].message
    assert not Figure.objects.exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(provider, framework):
    rows = ("1.1.1.d,2026/27 Q1,Hampshire,all,900,,,", "1.1.1.d,2026/27 Q1,hips,all,1800,,,")
    first = services.figures_import(acting_user=provider, upload=csv_file(*rows), filename="a.csv")
    second = services.figures_import(acting_user=provider, upload=csv_file(*rows), filename="a.csv")
    assert (first.saved, second.saved, second.unchanged) == (2, 0, 2)
    assert Figure.objects.count() == 2


def test_an_excel_workbook_is_imported_like_a_csv(provider, framework):
    book = Workbook()
    sheet = book.active
    sheet.append(["measure", "period", "area", "age_band", "value"])
    sheet.append(["1.1.1.d", "2026/27 Q1", "Southampton", "all", 420])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    result = services.figures_import(acting_user=provider, upload=data, filename="figures.xlsx")
    assert result.ok and Figure.objects.get().value == 420


def test_a_file_without_the_required_columns_is_refused_whole(provider, framework):
    with pytest.raises(services.ImportFileError, match="“value”"):
        services.figures_import(
            acting_user=provider,
            upload=io.BytesIO(b"measure,period,area\n1.1.1.d,2026/27 Q1,hips\n"),
            filename="a.csv",
        )


# Survey and grants --------------------------------------------------------------------------------


def test_only_invited_board_members_answer_the_survey_and_every_aspect_is_needed(
    framework, vru_staff, board_member, make_user, council
):
    from core.roles import Role

    me = factories.person("Bea Member", council, user=board_member)
    factories.board_seat(me)
    outsider = make_user(Role.BOARD_MEMBER, username="other.member")
    factories.person("Otto Other", factories.organisation("A charity", duty="none"), user=outsider)
    with pytest.raises(PermissionDenied):
        services.survey_round_open(
            acting_user=board_member, period=factories.period(COLLECTING), closes_on=COLLECTING.next().end
        )
    survey = services.survey_round_open(
        acting_user=vru_staff, period=factories.period(COLLECTING), closes_on=COLLECTING.next().end
    )
    invitation = survey.invitations.get()
    assert invitation.person == me
    aspects = list(survey.aspects.all())
    with pytest.raises(PermissionDenied):
        services.survey_respond(
            acting_user=outsider, invitation=invitation, ratings={a.pk: "good" for a in aspects}
        )
    with pytest.raises(ValidationError):
        services.survey_respond(
            acting_user=board_member, invitation=invitation, ratings={aspects[0].pk: "good"}
        )
    services.survey_respond(
        acting_user=board_member, invitation=invitation, ratings={a.pk: "good" for a in aspects}
    )
    invitation.refresh_from_db()
    assert invitation.responded_at is not None


def test_a_spend_return_is_saved_once_per_grant_quarter_and_category(framework, vru_staff, provider):
    grant = Grant.objects.create(
        kind=Grant.Kind.SVD,
        year=2026,
        allocation=300000,
        labour_allocation=120000,
        non_labour_allocation=180000,
    )
    period = factories.period(COLLECTING)
    for actual in (Decimal(20000), Decimal(25000)):
        services.grant_return_save(
            acting_user=vru_staff,
            grant=grant,
            period=period,
            category="labour",
            forecast=Decimal(30000),
            actual=actual,
        )
    spend = SpendReturn.objects.get()
    assert spend.actual == 25000 and spend.variance == -5000
    with pytest.raises(PermissionDenied):
        services.grant_return_save(
            acting_user=provider, grant=grant, period=period, category="labour", forecast=Decimal(1)
        )
    with pytest.raises(ValidationError):
        services.grant_return_save(
            acting_user=vru_staff,
            grant=grant,
            period=factories.period(FinancialQuarter(2025, 4)),
            category="labour",
            forecast=Decimal(1),
        )


def test_a_grant_split_must_add_up_to_its_allocation(framework):
    grant = Grant(
        kind=Grant.Kind.SVD, year=2026, allocation=300000, labour_allocation=100000, non_labour_allocation=1
    )
    with pytest.raises(ValidationError):
        grant.full_clean()
    assert Period.objects.exists()


def test_a_verified_figure_changes_only_with_a_reason_and_keeps_its_verified_value(
    provider, framework, vru_staff
):
    figure = save(provider, framework["1.1.1.b"], 0, submit=True)
    services.figure_verify(acting_user=vru_staff, figures=[figure])
    with pytest.raises(ValidationError) as refused:
        save(provider, framework["1.1.1.b"], 5, submit=True)
    assert "reason" in refused.value.message_dict
    figure.refresh_from_db()
    assert figure.value == 0 and figure.status == Figure.Status.VERIFIED

    changed = services.figure_save(
        acting_user=provider,
        measure=framework["1.1.1.b"],
        period=factories.period(COLLECTING),
        area=Area.objects.get(code="hips"),
        value=Decimal(5),
        submit=True,
        reason="Two incidents were recorded late.",
    )
    assert changed.value == 5 and changed.verified_value == 0
    assert changed.change_reason == "Two incidents were recorded late."
    assert changed.status == Figure.Status.SUBMITTED
    assert {h.value for h in changed.history.all()} == {0, 5}
    services.figure_verify(acting_user=vru_staff, figures=[changed])
    changed.refresh_from_db()
    assert changed.verified_value == 5 and changed.change_reason == ""


def test_an_upload_cannot_overwrite_a_verified_figure(provider, framework, vru_staff):
    figure = save(provider, framework["1.1.1.b"], 0, submit=True)
    services.figure_verify(acting_user=vru_staff, figures=[figure])
    result = services.figures_import(
        acting_user=provider, upload=csv_file(f"1.1.1.b,{COLLECTING.label},hips,all,5,,,"), filename="f.csv"
    )
    assert not result.ok and "was verified as 0" in str(result.errors[0])
    figure.refresh_from_db()
    assert figure.value == 0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(st.tuples(st.sampled_from(["save", "verify"]), st.integers(0, 9)), min_size=1, max_size=8)
)
def test_a_verified_value_is_never_lost(provider, framework, vru_staff, steps):
    Figure.objects.all().delete()
    last_verified = None
    for action, value in steps:
        if action == "save":
            with contextlib.suppress(ValidationError):
                save_with_reason(provider, framework["1.1.1.b"], value)
        else:
            services.figure_verify(acting_user=vru_staff, figures=Figure.objects.all())
        figure = Figure.objects.first()
        if figure is not None and figure.status == Figure.Status.VERIFIED:
            last_verified = figure.value
        if last_verified is not None:
            assert figure is not None
            assert figure.verified_value == last_verified


def save_with_reason(user, measure, value):
    return services.figure_save(
        acting_user=user,
        measure=measure,
        period=factories.period(COLLECTING),
        area=Area.objects.get(code="hips"),
        value=Decimal(value),
        submit=True,
        reason="Revised by the source.",
    )
