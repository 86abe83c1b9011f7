"""Every change to the framework's data: figures, periods, corrections, the survey and grant returns.

Keyword-only, typed, atomic; permission checks from ``permissions``; validation with ``full_clean``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.authorship import ActingUser, author
from core.spreadsheets import RowError, SpreadsheetError, read_table
from governance.models import Membership, Organisation, svrp_lookup
from governance.quarters import FinancialQuarter

from . import permissions
from .models import (
    AgeBand,
    Area,
    Figure,
    FigureCorrection,
    Grant,
    Measure,
    Period,
    SpendReturn,
    SurveyAspect,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
)

IMPORT_COLUMNS = ("measure", "period", "area", "age_band", "value", "numerator", "denominator", "note")
REQUIRED_COLUMNS = ("measure", "period", "area", "value")
MAX_IMPORT_ROWS = 2000


# Figures ------------------------------------------------------------------------------------------


def figure_save(
    *,
    acting_user: ActingUser,
    measure: Measure,
    period: Period,
    area: Area,
    age_band: str = AgeBand.ALL,
    value: Decimal,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    note: str = "",
    submit: bool = False,
    is_demo: bool = False,
    reason: str = "",
) -> Figure:
    """Save a figure as a draft (or submitted); a changed verified figure goes back for verification.

    Changing a verified figure is a correction: it needs a reason, and the verified value is kept
    beside the new one until VRU staff verify again."""
    permissions.require(permissions.can_enter_measure(acting_user, measure))
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        # The figure's rules (the model's), met before anything else: even an unchanged figure of a
        # locked or unfinished quarter is refused rather than silently answered.
        Figure(
            measure=measure,
            period=period,
            area=area,
            age_band=age_band,
            value=Decimal(value),
            numerator=numerator,
            denominator=denominator,
            note=note,
        ).clean()
        figure = (
            Figure.objects.select_for_update()
            .filter(measure=measure, period=period, area=area, age_band=age_band)
            .first()
        )
        new = (Decimal(value), numerator, denominator, note)
        if figure is not None:
            old = (figure.value, figure.numerator, figure.denominator, figure.note)
            unchanged = [Decimal(x) if isinstance(x, Decimal | int) else x for x in old] == [
                Decimal(x) if isinstance(x, Decimal | int) else x for x in new
            ]
            if unchanged and (figure.status != Figure.Status.DRAFT or not submit):
                return figure
        else:
            figure = Figure(
                measure=measure, period=period, area=area, age_band=age_band, created_by=author(acting_user)
            )
        if figure.pk is not None and figure.status == Figure.Status.VERIFIED:
            if not reason.strip():
                raise ValidationError(
                    {
                        "reason": _("This figure was verified as %(value)s: give the reason for changing it.")
                        % {"value": f"{figure.value:,}"}
                    }
                )
            if figure.verified_value is None:
                figure.verified_value = figure.value
            figure.change_reason = reason.strip()
        figure.value, figure.numerator, figure.denominator, figure.note = new
        figure.modified_by = author(acting_user)
        figure.is_demo = is_demo
        figure.verified_by, figure.verified_at = None, None
        if submit:
            figure.status = Figure.Status.SUBMITTED
            figure.submitted_by, figure.submitted_at = author(acting_user), timezone.now()
        else:
            figure.status = Figure.Status.DRAFT
        figure.full_clean()
        figure.save()
        return figure


def hips_difference(*, measure: Measure, period: Period, age_band: str) -> Decimal | None:
    """How far a count's HIPS total is from the sum of its four areas, when the total and all four
    areas are present (None otherwise, or when they agree). Percentages and rates do not add up, so
    only counts are checked."""
    if not measure.is_count:
        return None
    figures = list(
        Figure.objects.filter(measure=measure, period=period, age_band=age_band).select_related("area")
    )
    return hips_difference_of(
        totals=[f.value for f in figures if f.area.is_total],
        parts=[f.value for f in figures if not f.area.is_total],
        areas=Area.objects.filter(is_total=False).count(),
    )


def hips_difference_of(*, totals: Sequence[Decimal], parts: Sequence[Decimal], areas: int) -> Decimal | None:
    """The rule of ``hips_difference`` on values already read (the verify page reads them at once)."""
    if len(totals) != 1 or len(parts) != areas or not parts:
        return None
    difference = Decimal(totals[0]) - sum((Decimal(v) for v in parts), Decimal(0))
    return difference or None


def hips_difference_message(figure: Figure) -> str | None:
    """The words that flag a HIPS total that is not the sum of its areas (to providers and verifiers)."""
    difference = hips_difference(measure=figure.measure, period=figure.period, age_band=figure.age_band)
    return hips_message(figure, difference)


def hips_message(figure: Figure, difference: Decimal | None) -> str | None:
    """The flag's words for a difference already worked out (the verify page reads them all at once)."""
    if difference is None:
        return None
    return _(
        "The HIPS total for %(code)s %(period)s differs from the sum of the four areas by %(difference)s."
    ) % {
        "code": figure.measure.code,
        "period": figure.period.label,
        "difference": f"{difference:+,.0f}"
        if difference == difference.to_integral_value()
        else f"{difference:+,}",
    }


class BatchItemError(ValidationError):
    """A figure of a batch was refused: nothing of the batch was saved. ``index`` counts from 0."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.message_dict if hasattr(error, "error_dict") else error.messages)
        self.index = index


def figures_save_batch(
    *, acting_user: ActingUser, items: Sequence[Mapping[str, Any]]
) -> list[tuple[Figure, bool]]:
    """Save many figures (a whole quarter from the API) as one: every one, or none.

    Each item holds ``figure_save``'s arguments. Answers each figure with whether it was new.
    The first refused item raises ``BatchItemError`` naming it, and the whole batch is rolled back.
    """
    saved: list[tuple[Figure, bool]] = []
    with transaction.atomic():
        for index, item in enumerate(items):
            existed = Figure.objects.filter(
                measure=item["measure"],
                period=item["period"],
                area=item["area"],
                age_band=item.get("age_band", AgeBand.ALL),
            ).exists()
            try:
                figure = figure_save(acting_user=acting_user, **item)
            except PermissionDenied:
                raise BatchItemError(
                    index,
                    ValidationError(
                        {
                            "measure": _("%(code)s is not one of your organisation's measures.")
                            % {"code": item["measure"].code}
                        }
                    ),
                ) from None
            except ValidationError as error:
                raise BatchItemError(index, error) from None
            saved.append((figure, not existed))
    return saved


def figure_submit(*, acting_user: ActingUser, figures: Iterable[Figure]) -> int:
    """Submit drafts of the user's own organisation's measures; answers how many were submitted."""
    count = 0
    with transaction.atomic():
        for figure in figures:
            permissions.require(permissions.can_enter_measure(acting_user, figure.measure))
            figure.clean_period()
            if figure.status != Figure.Status.DRAFT:
                continue
            figure.status = Figure.Status.SUBMITTED
            figure.submitted_by, figure.submitted_at = author(acting_user), timezone.now()
            figure.modified_by = author(acting_user)
            figure.save()
            count += 1
    return count


def _mark_verified(figure: Figure, acting_user: ActingUser, now: dt.datetime) -> None:
    figure.status = Figure.Status.VERIFIED
    figure.verified_by, figure.verified_at = author(acting_user), now
    figure.verified_value, figure.change_reason = figure.value, ""
    figure.modified_by = author(acting_user)
    figure.save()


def figure_verify(*, acting_user: ActingUser, figures: Iterable[Figure]) -> int:
    """VRU staff verify submitted figures; drafts and verified figures are left as they are."""
    permissions.require(permissions.can_verify(acting_user))
    count = 0
    now = timezone.now()
    with transaction.atomic():
        for figure in figures:
            if figure.status != Figure.Status.SUBMITTED:
                continue
            _mark_verified(figure, acting_user, now)
            count += 1
    return count


def figure_name(figure: Figure) -> str:
    """A figure as a verifier reads it: measure code and name, area, age band and quarter."""
    return _("%(code)s %(title)s, %(area)s, %(band)s, %(period)s") % {
        "code": figure.measure.code,
        "title": figure.measure.short_title,
        "area": figure.area,
        "band": str(figure.get_age_band_display()).lower(),
        "period": figure.period.label,
    }


def figures_verify(*, acting_user: ActingUser, figure_ids: Collection[int]) -> list[Figure]:
    """Verify the figures VRU staff checked, in one step: every one of them, or none.

    Unlike ``figure_verify`` (a quarter's submitted figures), nothing chosen is passed over in
    silence: a draft, a figure already verified, one of a locked quarter or one that no longer exists
    refuses the whole selection with a reason for each."""
    permissions.require(permissions.can_verify(acting_user))
    wanted = set(figure_ids)
    if not wanted:
        raise ValidationError(_("Select the figures to verify."))
    with transaction.atomic():
        figures = list(
            Figure.objects.select_for_update()
            .select_related("measure", "period", "area")
            .filter(pk__in=wanted)
            .order_by("period__year", "period__quarter", "measure__order", "area__order", "age_band")
        )
        problems = []
        for figure in figures:
            if figure.period.is_locked:
                reason = _("%(figure)s is in a locked quarter: it changes only by a correction.")
            elif figure.status == Figure.Status.DRAFT:
                reason = _("%(figure)s is a draft: its organisation has not submitted it.")
            elif figure.status == Figure.Status.VERIFIED:
                reason = _("%(figure)s is already verified.")
            else:
                continue
            problems.append(reason % {"figure": figure_name(figure)})
        gone = len(wanted) - len(figures)
        if gone:
            problems.append(
                ngettext(
                    "%(n)s of the figures chosen no longer exists.",
                    "%(n)s of the figures chosen no longer exist.",
                    gone,
                )
                % {"n": gone}
            )
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        for figure in figures:
            _mark_verified(figure, acting_user, now)
    return figures


def figure_correct(
    *, acting_user: ActingUser, figure: Figure, new_value: Decimal, reason: str
) -> FigureCorrection:
    """Change a figure of a locked period, keeping the old value, the reason, who and when."""
    permissions.require(permissions.can_manage(acting_user))
    if not reason.strip():
        raise ValidationError({"reason": _("Enter the reason for the correction.")})
    with transaction.atomic():
        figure = Figure.objects.select_for_update().select_related("period").get(pk=figure.pk)
        if not figure.period.is_locked:
            raise ValidationError(_("The period is not locked: edit the figure instead of correcting it."))
        correction = FigureCorrection(
            figure=figure,
            old_value=figure.value,
            new_value=new_value,
            reason=reason.strip(),
            corrected_by=author(acting_user),
            corrected_at=timezone.now(),
        )
        correction.full_clean()
        correction.save()
        figure.value = new_value
        figure.modified_by = author(acting_user)
        # A correction is the one change a locked quarter allows: the figure's own rules still hold.
        figure.clean_fields()
        figure.clean_values()
        figure.validate_constraints()
        figure.save()
        return correction


@dataclass(frozen=True)
class Outstanding:
    """What of a quarter's figures is not yet verified, and what is missing altogether: what a
    confirmation page (locking the quarter, submitting a report of it) tells the user first."""

    unverified: list[Figure]
    missing: list[tuple[Measure, Area, str]]

    @property
    def is_complete(self) -> bool:
        return not self.unverified and not self.missing


def period_outstanding(*, period: Period) -> Outstanding:
    """The quarter's unverified figures (drafts and submitted) and the entered figures with none."""
    figures = list(Figure.objects.with_related().filter(period=period))
    present = {(f.measure_id, f.area_id, f.age_band) for f in figures}
    areas = list(Area.objects.all())
    missing = [
        (measure, area, band)
        for measure in Measure.objects.entered()
        for area in areas
        for band in measure.age_bands
        if (measure.pk, area.pk, band) not in present
    ]
    unverified = [f for f in figures if f.status != Figure.Status.VERIFIED]
    return Outstanding(unverified=unverified, missing=missing)


def period_lock(*, acting_user: ActingUser, period: Period) -> Period:
    """Lock a period once its report is submitted: its figures change only through corrections.

    Only a quarter that has ended can be locked (its figures are not all in before then)."""
    permissions.require(permissions.can_manage(acting_user))
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if not period.is_locked and not period.has_ended():
            raise ValidationError(
                _("%(period)s has not ended yet: a quarter is locked once it is over.")
                % {"period": period.label}
            )
        if not period.is_locked:
            period.locked_at, period.locked_by = timezone.now(), author(acting_user)
            period.save()
        return period


# Import -------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    saved: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# The file as a whole cannot be read (wrong type, too big, too many rows, no header, missing columns).
ImportFileError = SpreadsheetError


def _read_rows(upload: IO[bytes], filename: str) -> list[tuple[int, dict[str, str]]]:
    """The file's filled rows, each with its row number as the spreadsheet shows it, by column name."""
    table = read_table(
        upload, max_rows=MAX_IMPORT_ROWS, max_columns=len(IMPORT_COLUMNS) + 10, filename=filename
    )
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [h.strip().lower().replace(" ", "_") for h in table[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            _("The file has no column named %(columns)s. Start from the template.")
            % {"columns": ", ".join(f"“{c}”" for c in missing)}
        )
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append(
            (number, {key: (values[i].strip() if i < len(values) else "") for i, key in enumerate(header)})
        )
    return rows


def _decimal(text: str) -> Decimal:
    number = Decimal(text.replace(",", ""))
    if not number.is_finite():
        raise InvalidOperation
    return number


def figures_import(*, acting_user: ActingUser, upload: IO[bytes], filename: str) -> ImportResult:
    """Import submitted figures from CSV or XLSX: all rows valid, or nothing imported.

    Each row names its measure (code), period ("2025/26 Q1"), area (name or code), age band
    ("all" or "under 25"), value and optionally numerator, denominator and note. A row for a figure
    that exists updates it (idempotent on measure, period, area and age band).
    """
    permissions.require(permissions.can_use_submit_page(acting_user))
    rows = _read_rows(upload, filename)
    result = ImportResult()
    if not rows:
        result.errors.append(RowError(2, "measure", _("The file has no figures.")))
        return result
    measures = {m.code: m for m in Measure.objects.current()}
    periods = {p.fq: p for p in Period.objects.all()}
    areas: dict[str, Area] = {}
    for known in Area.objects.all():
        areas[known.code.lower()] = areas[known.name.lower()] = known
    bands = {
        "": AgeBand.ALL,
        "all": AgeBand.ALL,
        "all ages": AgeBand.ALL,
        "under 25": AgeBand.UNDER_25,
        "under_25": AgeBand.UNDER_25,
        "under25": AgeBand.UNDER_25,
        "u25": AgeBand.UNDER_25,
    }
    seen: dict[tuple[int, int, int, str], int] = {}
    valid: list[dict[str, Any]] = []
    for number, row in rows:
        errors: list[RowError] = []

        def bad(column: str, message: str, number: int = number, errors: list[RowError] = errors) -> None:
            errors.append(RowError(number, column, message))

        measure = measures.get(row.get("measure", ""))
        if measure is None:
            bad(
                "measure",
                _("“%(code)s” is not a measure code like 1.1.1.a.") % {"code": row.get("measure", "")},
            )
        elif not measure.derived and not permissions.can_enter_measure(acting_user, measure):
            bad("measure", _("%(code)s is not one of your organisation's measures.") % {"code": measure.code})
        period = None
        try:
            period = periods.get(FinancialQuarter.parse(row.get("period", "")))
            if period is None:
                bad("period", _("%(p)s is not a reporting period yet.") % {"p": row.get("period", "")})
        except ValueError:
            bad("period", _("“%(p)s” is not a quarter like 2025/26 Q1.") % {"p": row.get("period", "")})
        area = areas.get(row.get("area", "").lower())
        if area is None:
            bad(
                "area",
                _("“%(a)s” is not one of Hampshire, Isle of Wight, Portsmouth, Southampton or HIPS total.")
                % {"a": row.get("area", "")},
            )
        band = bands.get(row.get("age_band", "").lower())
        if band is None:
            bad("age_band", _("Enter “all” or “under 25”."))
        numbers: dict[str, Decimal | None] = {}
        for column in ("value", "numerator", "denominator"):
            text = row.get(column, "")
            if not text:
                numbers[column] = None
                if column == "value":
                    bad("value", _("Enter the value."))
                continue
            try:
                numbers[column] = _decimal(text)
            except (InvalidOperation, ValueError):
                bad(column, _("“%(v)s” is not a number.") % {"v": text})
                continue
            if numbers[column] < 0:  # type: ignore[operator]
                bad(column, _("A figure cannot be negative."))
            elif numbers[column] != numbers[column].quantize(Decimal("0.01")):  # type: ignore[union-attr]
                bad(column, _("Use at most two decimal places."))
        if measure is not None and period is not None and area is not None and band is not None:
            candidate = Figure(
                measure=measure,
                period=period,
                area=area,
                age_band=band,
                value=numbers.get("value"),  # type: ignore[misc]
                numerator=numbers.get("numerator"),
                denominator=numbers.get("denominator"),
            )
            try:
                candidate.clean()
            except ValidationError as error:
                for column, messages in error.message_dict.items():
                    for message in messages:
                        bad(column, message)
            verified = Figure.objects.filter(
                measure=measure, period=period, area=area, age_band=band, status=Figure.Status.VERIFIED
            ).first()
            if (
                verified is not None
                and numbers.get("value") is not None
                and verified.value != numbers["value"]
            ):
                bad(
                    "value",
                    _("This figure was verified as %(value)s: change it on the figures page with a reason.")
                    % {"value": f"{verified.value:,}"},
                )
        if len(row.get("note", "")) > 500:
            bad("note", _("A note can be at most 500 characters."))
        if not errors and measure and period and area and band:
            key = (measure.pk, period.pk, area.pk, band)
            if key in seen:
                bad("measure", _("This figure is also on row %(row)s.") % {"row": seen[key]})
            seen[key] = number
        result.errors.extend(errors)
        if not errors:
            valid.append(
                {
                    "measure": measure,
                    "period": period,
                    "area": area,
                    "age_band": band,
                    "value": numbers["value"],
                    "numerator": numbers["numerator"],
                    "denominator": numbers["denominator"],
                    "note": row.get("note", ""),
                }
            )
    if result.errors:
        return result
    with transaction.atomic():
        for data in valid:
            before = (
                Figure.objects.filter(
                    measure=data["measure"],
                    period=data["period"],
                    area=data["area"],
                    age_band=data["age_band"],
                )
                .values_list("modified", flat=True)
                .first()
            )
            figure = figure_save(acting_user=acting_user, submit=True, **data)
            if before is not None and figure.modified == before:
                result.unchanged += 1
            else:
                result.saved += 1
    return result


def import_template_rows(*, acting_user: ActingUser, period: Period | None) -> list[list[str]]:
    """The template's rows: one per measure the user enters, area and age band, for the period."""
    rows = [list(IMPORT_COLUMNS)]
    organisation_id = permissions.person_organisation_id(acting_user)
    label = period.label if period else FinancialQuarter.of(timezone.localdate()).previous().label
    for measure in Measure.objects.for_organisation(organisation_id):
        for area in Area.objects.all():
            for band in measure.age_bands:
                rows.append(
                    [
                        measure.code,
                        label,
                        area.name,
                        "all" if band == AgeBand.ALL else "under 25",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
    return rows


# The understanding survey ----------------------------------------------------------------------


def svrp_board_memberships(day: dt.date) -> Any:
    """Board seats of specified and relevant authorities on the SVRP on a day."""
    return (
        Membership.objects.active_on(day)
        .filter(
            svrp_lookup("group__"),
            organisation__in=Organisation.objects.duty_authorities(),
            person__archived_at__isnull=True,
        )
        .select_related("person", "organisation")
    )


def survey_round_open(
    *, acting_user: ActingUser, period: Period, closes_on: dt.date, is_demo: bool = False
) -> SurveyRound:
    """Open a round for a period and invite each specified and relevant authority's board members."""
    permissions.require(permissions.can_manage(acting_user))
    with transaction.atomic():
        if SurveyRound.objects.filter(period=period).exists():
            raise ValidationError({"period": _("There is already a survey round for %(p)s.") % {"p": period}})
        today = timezone.localdate()
        if closes_on < today:
            raise ValidationError({"closes_on": _("The closing date must be today or later.")})
        survey = SurveyRound(
            period=period,
            opened_at=timezone.now(),
            closes_on=closes_on,
            created_by=author(acting_user),
            is_demo=is_demo,
        )
        survey.full_clean()
        survey.save()
        survey.aspects.set(SurveyAspect.objects.filter(active=True))
        invited: dict[int, SurveyInvitation] = {}
        for membership in svrp_board_memberships(today):
            invited.setdefault(
                membership.person_id,
                SurveyInvitation(
                    round=survey, person=membership.person, organisation=membership.organisation
                ),
            )
        SurveyInvitation.objects.bulk_create(invited.values())
        return survey


def survey_round_close(*, acting_user: ActingUser, survey: SurveyRound) -> SurveyRound:
    permissions.require(permissions.can_manage(acting_user))
    if survey.closed_at is None:
        survey.closed_at = timezone.now()
        survey.modified_by = author(acting_user)
        survey.save()
    return survey


def survey_respond(
    *, acting_user: ActingUser, invitation: SurveyInvitation, ratings: Mapping[int, str]
) -> SurveyInvitation:
    """Record an invited board member's rating of every aspect of the round (answers can be revised)."""
    permissions.require(permissions.can_answer(acting_user, invitation))
    aspects = list(invitation.round.aspects.all())
    missing = [a for a in aspects if not ratings.get(a.pk)]
    if missing:
        raise ValidationError(_("Rate your understanding of every aspect."))
    valid = set(SurveyResponse.Rating.values)
    if any(ratings[a.pk] not in valid for a in aspects):
        raise ValidationError(_("Choose one of the ratings offered."))
    with transaction.atomic():
        for aspect in aspects:
            SurveyResponse.objects.update_or_create(
                invitation=invitation,
                aspect=aspect,
                defaults={"rating": ratings[aspect.pk], "answered_by": author(acting_user)},
            )
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["responded_at"])
    return invitation


# Grants -----------------------------------------------------------------------------------------


def grant_return_save(
    *,
    acting_user: ActingUser,
    grant: Grant,
    period: Period,
    category: str,
    forecast: Decimal,
    actual: Decimal | None = None,
    toc_activity: Any = None,
    note: str = "",
    is_demo: bool = False,
) -> SpendReturn:
    """Record (or revise) a quarter's spend return for a grant and category."""
    permissions.require(permissions.can_manage(acting_user))
    if period.year != grant.year:
        raise ValidationError({"period": _("The quarter must fall in the grant's financial year.")})
    with transaction.atomic():
        spend = SpendReturn.objects.filter(grant=grant, period=period, category=category).first()
        if spend is None:
            spend = SpendReturn(grant=grant, period=period, category=category, created_by=author(acting_user))
        spend.actual, spend.forecast, spend.toc_activity, spend.note = actual, forecast, toc_activity, note
        spend.modified_by = author(acting_user)
        spend.is_demo = is_demo
        spend.full_clean()
        spend.save()
        return spend
