"""The tracker as a spreadsheet: exported in the columns the bulk update reads back.

``Report`` and ``Number`` name the row. ``Recommendation`` and ``Latest progress`` are shown for
reference and must come back unchanged (a difference means the tracker changed since the export, or
the text was edited where it cannot be). ``New progress``, empty in an export, adds a progress entry
dated today with the row's RAG rating. Every other column is applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheets
from core.authorship import ActingUser
from core.spreadsheets import RowError, SpreadsheetError
from governance.models import RAG, Organisation, Person

from . import services
from .models import Recommendation

COLUMNS: tuple[str, ...] = (
    "Report",
    "Number",
    "Recommendation",
    "Owner",
    "Owner organisation",
    "Response",
    "Reason for the response",
    "Status",
    "RAG",
    "Target date",
    "Publishable",
    "Latest progress",
    "New progress",
)
READ_ONLY_COLUMNS = ("Recommendation", "Latest progress")
YES, NO = "Yes", "No"
# Rows a tracker upload may hold (the tracker holds a few dozen recommendations).
MAX_ROWS = 2000


def _normalise(text: str | None) -> str:
    return " ".join((text or "").split())


def row_for(rec: Recommendation) -> list[Any]:
    """One recommendation as a row; ``rec`` comes from ``Recommendation.objects.for_tracker()``."""
    return [
        rec.report.short_name,
        rec.number,
        rec.text,
        rec.owner_person.full_name if rec.owner_person else "",
        rec.owner_organisation.name if rec.owner_organisation else "",
        str(rec.get_response_display()),
        rec.response_reason,
        str(rec.get_status_display()),
        str(rec.get_rag_display()) if rec.rag else "",
        rec.target_date,
        YES if rec.publishable else NO,
        getattr(rec, "latest_progress_text", None) or "",
        "",
    ]


def _rows(recommendations: Iterable[Recommendation]) -> Iterator[list[Any]]:
    yield list(COLUMNS)
    for rec in recommendations:
        yield row_for(rec)


def csv_response(recommendations: Iterable[Recommendation]) -> StreamingHttpResponse:
    return spreadsheets.csv_response("crest-tracker.csv", _rows(recommendations))


def xlsx_response(recommendations: Iterable[Recommendation]) -> FileResponse:
    return spreadsheets.xlsx_response("crest-tracker.xlsx", [("Crest tracker", _rows(recommendations))])


# --- Reading an uploaded spreadsheet back -------------------------------------------------------


@dataclass
class PlannedRow:
    row: int
    recommendation: Recommendation
    changes: dict[str, Any] = field(default_factory=dict)
    new_progress: str = ""
    progress_rag: str = ""


@dataclass
class BulkResult:
    errors: list[RowError] = field(default_factory=list)
    updated: int = 0
    progress_added: int = 0
    unchanged: int = 0


def read_rows(upload: Any) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX file as text, header first."""
    return spreadsheets.read_table(upload, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10)


def _choice(value: str, choices: Any) -> str | None:
    wanted = value.strip().lower()
    for key, label in choices:
        if wanted in (str(key).lower(), str(label).lower()):
            return str(key)
    return None


def _labels(choices: Any) -> str:
    return ", ".join(str(label) for _key, label in choices)


def _parse_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(value)


def plan(rows: list[list[str]]) -> tuple[list[PlannedRow], list[RowError]]:
    """Check every row against the tracker; return the changes to make, or the errors found."""
    if not rows or not any(rows[0]):
        raise SpreadsheetError(_("The selected file is empty."))
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in COLUMNS if c not in header]
    unexpected = [c for c in header if c not in COLUMNS]
    if missing or unexpected or len(set(header)) != len(header):
        problems = []
        if missing:
            problems.append(_("missing %(cols)s") % {"cols": ", ".join(missing)})
        if unexpected:
            problems.append(_("unexpected %(cols)s") % {"cols": ", ".join(unexpected)})
        if len(set(header)) != len(header):
            problems.append(_("a column appears twice"))
        raise SpreadsheetError(
            _("The first row must name the tracker’s columns as exported (%(problems)s).")
            % {"problems": "; ".join(problems)}
        )
    index = {name: header.index(name) for name in COLUMNS}
    recommendations = {
        (rec.report.short_name.lower(), rec.number.lower()): rec
        for rec in Recommendation.objects.for_tracker()
    }
    people = list(Person.objects.filter(archived_at__isnull=True).select_related("organisation"))
    organisations = list(Organisation.objects.current())
    planned: list[PlannedRow] = []
    errors: list[RowError] = []
    seen: dict[int, int] = {}

    for row_number, raw in enumerate(rows[1:], start=2):
        cells = {name: (raw[i] if i < len(raw) else "") for name, i in index.items()}
        if not any(cells.values()):
            continue
        row_errors: list[RowError] = []

        def error(column: str, message: str, row_number: int = row_number, bucket: list = row_errors) -> None:
            bucket.append(RowError(row_number, column, message))

        rec = recommendations.get((cells["Report"].lower(), cells["Number"].lower()))
        if rec is None:
            error(
                "Number",
                _("there is no recommendation %(number)s in report “%(report)s”.")
                % {"number": cells["Number"] or "(blank)", "report": cells["Report"] or "(blank)"},
            )
            errors.extend(row_errors)
            continue
        if rec.pk in seen:
            error(
                "Number",
                _("recommendation %(n)s is also on row %(row)s.") % {"n": rec.number, "row": seen[rec.pk]},
            )
            errors.extend(row_errors)
            continue
        seen[rec.pk] = row_number
        if _normalise(cells["Recommendation"]) != _normalise(rec.text):
            error(
                "Recommendation",
                _("the text cannot be changed by upload; change it on the recommendation’s page."),
            )
        if _normalise(cells["Latest progress"]) != _normalise(getattr(rec, "latest_progress_text", "")):
            error(
                "Latest progress",
                _("this differs from the tracker, which has changed since the export; export it again."),
            )
        values: dict[str, Any] = {}

        owner_name = cells["Owner"]
        if not owner_name:
            values["owner_person"] = None
        elif (
            rec.owner_person
            and _normalise(owner_name).lower() == _normalise(rec.owner_person.full_name).lower()
        ):
            values["owner_person"] = rec.owner_person
        else:
            matches = [p for p in people if _normalise(p.full_name).lower() == _normalise(owner_name).lower()]
            if len(matches) == 1:
                values["owner_person"] = matches[0]
            elif not matches:
                error("Owner", _("there is no one called “%(name)s” in the register.") % {"name": owner_name})
            else:
                error(
                    "Owner",
                    _(
                        "more than one person is called “%(name)s”; "
                        "set the owner on the recommendation’s page."
                    )
                    % {"name": owner_name},
                )

        org_name = cells["Owner organisation"].lower()
        if not org_name:
            values["owner_organisation"] = None
        else:
            orgs = [o for o in organisations if org_name in (o.name.lower(), o.short_name.lower())]
            if len(orgs) == 1:
                values["owner_organisation"] = orgs[0]
            else:
                error(
                    "Owner organisation",
                    _("there is no organisation called “%(name)s”.") % {"name": cells["Owner organisation"]},
                )

        response = _choice(cells["Response"], Recommendation.Response.choices)
        if response is None:
            error(
                "Response",
                _("“%(value)s” is not a response; use %(labels)s.")
                % {"value": cells["Response"], "labels": _labels(Recommendation.Response.choices)},
            )
        else:
            values["response"] = response
            values["response_reason"] = cells["Reason for the response"]
            if response != Recommendation.Response.ACCEPTED and not cells["Reason for the response"]:
                error(
                    "Reason for the response",
                    _("give the reason when a recommendation is only partly accepted or not accepted."),
                )

        status = _choice(cells["Status"], Recommendation.Status.choices)
        if status is None:
            error(
                "Status",
                _("“%(value)s” is not a status; use %(labels)s.")
                % {"value": cells["Status"], "labels": _labels(Recommendation.Status.choices)},
            )
        elif status == Recommendation.Status.ACHIEVED and rec.status != Recommendation.Status.ACHIEVED:
            error(
                "Status",
                _("use “Mark as achieved” on the recommendation’s page to record the evidence and sign-off."),
            )
        else:
            values["status"] = status

        rag = "" if not cells["RAG"] else _choice(cells["RAG"], RAG.choices)
        if rag is None:
            error(
                "RAG",
                _("“%(value)s” is not a RAG rating; use Red, Amber, Green or leave it blank.")
                % {"value": cells["RAG"]},
            )
        else:
            values["rag"] = rag

        if not cells["Target date"]:
            values["target_date"] = None
        else:
            try:
                values["target_date"] = _parse_date(cells["Target date"])
            except ValueError:
                error(
                    "Target date",
                    _("“%(value)s” is not a date; write it as 2026-03-31 or 31/03/2026.")
                    % {"value": cells["Target date"]},
                )

        publishable = cells["Publishable"].strip().lower()
        if publishable not in (YES.lower(), NO.lower()):
            error("Publishable", _("write Yes or No."))
        else:
            values["publishable"] = publishable == YES.lower()

        new_progress = cells["New progress"]
        if new_progress and not values.get("rag"):
            error("RAG", _("give a RAG rating with the new progress."))

        if row_errors:
            errors.extend(row_errors)
            continue
        changes = {name: value for name, value in values.items() if getattr(rec, name) != value}
        if new_progress:
            # Recording progress sets the RAG rating itself.
            changes.pop("rag", None)
        planned.append(PlannedRow(row_number, rec, changes, new_progress, values.get("rag", "")))
    return planned, errors


def bulk_update(*, acting_user: ActingUser, upload: Any) -> BulkResult:
    """Apply an uploaded tracker: all rows or none, in one transaction."""
    rows = read_rows(upload)
    planned, errors = plan(rows)
    result = BulkResult(errors=errors)
    if errors:
        return result
    try:
        with transaction.atomic():
            for item in planned:
                if not item.changes and not item.new_progress:
                    result.unchanged += 1
                    continue
                try:
                    if item.changes:
                        services.recommendation_update(
                            acting_user=acting_user, recommendation=item.recommendation, **item.changes
                        )
                    if item.new_progress:
                        services.recommendation_record_progress(
                            acting_user=acting_user,
                            recommendation=item.recommendation,
                            date=timezone.localdate(),
                            text=item.new_progress,
                            rag=item.progress_rag,
                        )
                        result.progress_added += 1
                except ValidationError as error:
                    for column, messages in _by_column(error).items():
                        result.errors.extend(RowError(item.row, column, m) for m in messages)
                if item.changes:
                    result.updated += 1
            if result.errors:
                raise _RollBack
    except _RollBack:
        result.updated = result.progress_added = result.unchanged = 0
    return result


class _RollBack(Exception):
    pass


_FIELD_COLUMNS = {
    "text": "Recommendation",
    "owner_person": "Owner",
    "owner_organisation": "Owner organisation",
    "response": "Response",
    "response_reason": "Reason for the response",
    "status": "Status",
    "rag": "RAG",
    "target_date": "Target date",
    "publishable": "Publishable",
}


def _by_column(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {_FIELD_COLUMNS.get(k, "Number"): [str(m) for m in v] for k, v in error.message_dict.items()}
    return {"Number": [str(m) for m in error.messages]}


UPLOAD_HELP = gettext_lazy(
    "Report and Number name the row. Recommendation and Latest progress must come back unchanged. "
    "Write in New progress to add a progress entry dated today with the row’s RAG rating."
)
