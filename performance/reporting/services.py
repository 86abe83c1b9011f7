"""Generating, submitting and correcting the quarterly Home Office report.

``generate_draft`` is the entry point the quarterly cycle calls after the data deadline and the page's
"generate" button calls too: it creates or regenerates the quarter's one draft version and never touches
a submitted one (once the latest version is submitted, the next draft is a correction, version n + 1).
``report_submit`` locks the period's figures (the framework's own period lock), writes the files once more
with the sign-off on them, records their SHA-256, and freezes the version.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.authorship import ActingUser, author
from governance.quarters import FinancialQuarter

from .. import charts, permissions
from ..models import AgeBand, Period, Report, ReportFile, ReportVersion
from ..selectors import TREND_QUARTERS, quarter_window, short_label
from ..services import period_lock, period_outstanding
from . import builders
from .sections import ReportContext, Section, build_sections, grant_rows, home_office_rows, plain

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
# Every report file is stored under this folder (``report_file_upload_to``); the sweep looks nowhere else.
REPORTS_FOLDER = "reports"
# Far longer than any run: a file younger than this may belong to a run still in progress.
ORPHAN_MARGIN = timedelta(hours=24)


@dataclass(frozen=True)
class ChartFigure:
    title: str
    svg: SafeString


def _sha256(handle: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    handle.seek(0)
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def file_matches(report_file: ReportFile) -> bool:
    """Whether the stored bytes still have the SHA-256 recorded when they were written."""
    with report_file.file.open("rb") as handle:
        return _sha256(handle)[0] == report_file.sha256


def _charts(ctx: ReportContext, sections: list[Section]) -> None:
    """Server-rendered charts for the PDF: the Home Office measures' trend and the quarter's spend."""
    labels = [short_label(q) for q in quarter_window(ctx.quarter, TREND_QUARTERS)]
    home_office = sections[1]
    for row in home_office_rows(ctx):
        if not row["area"].is_total or row["band"] != AgeBand.ALL:
            continue
        measure = row["measure"]
        values = tuple(None if v in (None, "*") else float(v) for v in row["trend"])
        chart_id = f"report-chart-{measure.code.replace('.', '-')}"
        title = _("%(code)s %(title)s, HIPS total, last eight quarters") % {
            "code": measure.code,
            "title": measure.short_title,
        }
        home_office.charts.append(
            ChartFigure(
                title,
                charts.line_chart(
                    chart_id=chart_id,
                    title=title,
                    description=_("Line chart. ")
                    + "; ".join(
                        f"{label}: {'–' if v is None else f'{v:,.0f}'}"
                        for label, v in zip(labels, values, strict=True)
                    )
                    + ".",
                    labels=labels,
                    series=[charts.Series(_("HIPS total"), values)],
                    target=float(measure.target) if measure.target is not None else None,
                ),
            )
        )
    grants = [tuple(plain(value) for value in row) for row in grant_rows(ctx)]
    if grants:
        names = [f"{r[0]} – {r[1]}" if r[1] != _("All") else str(r[0]) for r in grants]
        title = _("Grant spend in %(q)s: actual and forecast") % {"q": ctx.quarter.label}
        sections[6].charts.append(
            ChartFigure(
                title,
                charts.bar_chart(
                    chart_id="report-chart-grants",
                    title=title,
                    description="; ".join(
                        _("%(name)s: actual £%(a)s, forecast £%(f)s")
                        % {"name": n, "a": f"{r[4] or 0:,.0f}", "f": f"{r[5] or 0:,.0f}"}
                        for n, r in zip(names, grants, strict=True)
                    )
                    + ".",
                    labels=[n[:22] for n in names],
                    series=[
                        charts.Series(
                            _("Actual"), tuple(None if r[4] is None else float(r[4]) for r in grants)
                        ),
                        charts.Series(
                            _("Forecast"), tuple(None if r[5] is None else float(r[5]) for r in grants)
                        ),
                    ],
                    prefix="£",
                ),
            )
        )


def _write_files(version: ReportVersion, written: list[str]) -> list[str]:
    """Build every format for the version and store it; return the storage names it replaced.

    Each name is added to ``written`` as soon as its file is in storage, before its row is saved, so
    that a run failing at any later point knows every file it left (see ``_files_of_this_run``).
    """
    quarter = version.report.fq
    ctx = ReportContext(quarter=quarter, version=version, today=timezone.localdate())
    sections = build_sections(ctx)
    _charts(ctx, sections)
    outputs = {
        ReportFile.Kind.XLSX: lambda: builders.build_xlsx(sections),
        ReportFile.Kind.CSV: lambda: builders.build_csv_zip(sections),
        ReportFile.Kind.PDF: lambda: builders.build_pdf(
            sections, {"quarter": quarter, "version": version, "marking": settings.SVRP_REPORT_MARKING}
        ),
    }
    replaced = []
    for kind, build in outputs.items():
        handle = build()
        try:
            digest, size = _sha256(handle)
            old = ReportFile.objects.filter(version=version, kind=kind).first()
            if old is not None:
                replaced.append(str(old.file.name))
                old.delete()
            record = ReportFile(version=version, kind=kind, sha256=digest, size=size)
            record.file.save(f"{uuid.uuid4().hex}.{kind}", File(handle), save=False)
            written.append(str(record.file.name))
            record.full_clean()
            record.save()
        finally:
            handle.close()
    return replaced


def _delete_stored(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


@contextmanager
def _files_of_this_run() -> Iterator[list[str]]:
    """Wrap a run's transaction: if it fails, delete the files the run stored, and only those.

    The rows that referred to them were rolled back with the transaction, so the files would stay
    on disk unreferenced. Names are fresh (a UUID each, under the version's own folder), so they are
    never another version's. As a last guard a name that a committed row does refer to is kept: a
    COMMIT can fail after the database applied it (the connection dropped while it answered), and a
    stray file costs less than a version whose file is gone. If the database cannot be asked, the
    files are kept and logged. Must be entered outside the run's ``transaction.atomic()`` so the
    clean-up runs after the rollback. Not covered: a run inside a caller's transaction that rolls
    back after the run returned (Django has no rollback hook), and a process killed mid-run.
    """
    written: list[str] = []
    try:
        yield written
    except BaseException:
        if written:
            _discard_unreferenced(written)
        raise


def _discard_unreferenced(names: list[str]) -> None:
    try:
        referenced = set(ReportFile.objects.filter(file__in=names).values_list("file", flat=True))
    except DatabaseError:
        logger.exception("Report run failed; could not check its files %s, so they are kept.", names)
        return
    for name in names:
        if name in referenced:
            continue
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("Report run failed; could not delete its file %s.", name)


def generate_draft(fy_start_year: int, quarter: int, *, user: Any = None, reason: str = "") -> ReportVersion:
    """Create or regenerate the draft version of the quarter's report (``user`` None: the scheduler)."""
    if user is not None:
        permissions.require(permissions.can_manage(user))
    fq = FinancialQuarter(fy_start_year, quarter)
    with _files_of_this_run() as written, transaction.atomic():
        report, _created = Report.objects.get_or_create(year=fq.year, quarter=fq.quarter)
        report = Report.objects.select_for_update().get(pk=report.pk)
        draft = report.versions.filter(status=ReportVersion.Status.DRAFT).first()
        now = timezone.now()
        if draft is None:
            number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            draft = ReportVersion(
                report=report,
                number=number,
                generated_at=now,
                generated_by=user,
                correction_reason=reason if number > 1 else "",
            )
            draft.full_clean()
            draft.save()
        else:
            draft.generated_at, draft.generated_by = now, user
            if reason and draft.number > 1:
                draft.correction_reason = reason
            draft.save()
        replaced = _write_files(draft, written)
        transaction.on_commit(lambda: _delete_stored(replaced), robust=True)
        return draft


def report_submit(*, acting_user: ActingUser, version: ReportVersion, reason: str = "") -> ReportVersion:
    """Lock the period's figures, write the files with the sign-off, record their SHA-256 and freeze.

    Submitting with figures still unverified is a decision: it needs ``reason``, which the version
    keeps (``unverified_reason``). Without unverified figures a reason is not asked for nor kept.
    """
    permissions.require(permissions.can_manage(acting_user))
    with _files_of_this_run() as written, transaction.atomic():
        version = ReportVersion.objects.select_for_update().select_related("report").get(pk=version.pk)
        if version.status != ReportVersion.Status.DRAFT:
            raise ValidationError(_("This version is already submitted: make a correction instead."))
        fq = version.report.fq
        period, _created = Period.objects.get_or_create(
            year=fq.year, quarter=fq.quarter, defaults={"deadline": Period.for_fq(fq).deadline}
        )
        unverified = len(period_outstanding(period=period).unverified)
        reason = reason.strip()
        if "\x00" in reason:
            raise ValidationError({"reason": _("The reason cannot hold a null character: type it again.")})
        if unverified and not reason:
            raise ValidationError(
                {
                    "reason": ngettext(
                        "%(n)s figure of the quarter is not verified: verify it first, or give the reason "
                        "for submitting it unverified.",
                        "%(n)s figures of the quarter are not verified: verify them first, or give the "
                        "reason for submitting them unverified.",
                        unverified,
                    )
                    % {"n": unverified}
                }
            )
        version.unverified_reason = reason if unverified else ""
        period_lock(acting_user=acting_user, period=period)
        version.status = ReportVersion.Status.SUBMITTED
        version.submitted_by, version.submitted_at = author(acting_user), timezone.now()
        replaced = _write_files(version, written)  # still a draft in the database until the save below
        version.full_clean()
        version.save()
        transaction.on_commit(lambda: _delete_stored(replaced), robust=True)
        return version


def _stored_under(folder: str) -> Iterator[str]:
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _stored_under(f"{folder}/{directory}")


def orphaned_files_sweep(*, now: datetime | None = None, margin: timedelta = ORPHAN_MARGIN) -> int:
    """Delete report files that no ``ReportFile`` row refers to and that were stored before ``margin`` ago.

    They are left by a run killed mid-way (SIGKILL) or rolled back by a caller's transaction after it
    returned (ADR 0003). Only the reports' folder is looked at; a file younger than the margin may be a
    run's in progress and is kept. A referenced name is never deleted: the references are read after
    the listing, and each candidate is checked once more just before its deletion. Returns the count.
    """
    if not default_storage.exists(REPORTS_FOLDER):
        return 0
    cutoff = (now or timezone.now()) - margin
    old: list[str] = []
    for name in _stored_under(REPORTS_FOLDER):
        try:
            if default_storage.get_modified_time(name) < cutoff:
                old.append(name)
        except FileNotFoundError:  # deleted meanwhile (a replaced draft's old file, say)
            continue
    referenced = set(ReportFile.objects.values_list("file", flat=True))
    deleted = 0
    for name in old:
        if name in referenced or ReportFile.objects.filter(file=name).exists():
            continue
        default_storage.delete(name)
        logger.info("Report files sweep: deleted %s, which no report version refers to.", name)
        deleted += 1
    logger.info("Report files sweep: %d unreferenced file(s) deleted.", deleted)
    return deleted
