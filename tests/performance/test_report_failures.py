"""A report run that fails part-way leaves nothing behind: no version row, no file, and the files of
the versions already there (a draft being regenerated, a submitted one) exactly as they were.

The failures are real steps failing: the PDF renderer raising after the spreadsheet and the CSV zip
were stored (as WeasyPrint does when it runs out of memory), and the database refusing the PDF's row
after the PDF itself was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection

from performance.models import Period, ReportFile, ReportVersion
from performance.reporting import builders, generate_draft
from performance.reporting.services import file_matches, report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media: Path) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def pdf_renderer_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def out_of_memory(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("WeasyPrint ran out of memory laying out the report.")

    monkeypatch.setattr(builders, "build_pdf", out_of_memory)


@contextmanager
def database_refuses_the_pdf_row() -> Iterator[None]:
    """The INSERT of the PDF's ReportFile row fails (the PDF is already in storage by then)."""

    def refuse(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("INSERT") and "performance_reportfile" in sql and "pdf" in (params or ()):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@contextmanager
def failure(kind: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[type[BaseException]]:
    if kind == "pdf renderer":
        pdf_renderer_fails(monkeypatch)
        yield MemoryError
        monkeypatch.undo()
    else:
        with database_refuses_the_pdf_row():
            yield OperationalError


FAILURES = ["pdf renderer", "database"]


@pytest.mark.parametrize("kind", FAILURES)
def test_a_first_run_that_fails_leaves_no_version_and_no_file_and_the_next_run_succeeds(
    framework, media, monkeypatch, kind
):
    with failure(kind, monkeypatch) as error, pytest.raises(error):
        generate_draft(2026, 1)

    assert not ReportVersion.objects.exists()
    assert not ReportFile.objects.exists()
    assert stored(media) == set()

    version = generate_draft(2026, 1)

    files = list(version.files.all())
    assert sorted(f.kind for f in files) == sorted(ReportFile.Kind.values)
    assert all(file_matches(f) for f in files)
    assert stored(media) == {f.file.name for f in files}


@pytest.mark.parametrize("kind", FAILURES)
def test_a_failed_regeneration_keeps_the_drafts_files_and_adds_none(framework, media, monkeypatch, kind):
    draft = generate_draft(2026, 1)
    before = {f.kind: (f.file.name, f.sha256) for f in draft.files.all()}

    with failure(kind, monkeypatch) as error, pytest.raises(error):
        generate_draft(2026, 1)

    assert {f.kind: (f.file.name, f.sha256) for f in draft.files.all()} == before
    assert all(file_matches(f) for f in draft.files.all())
    assert stored(media) == {name for name, _sha in before.values()}


@pytest.mark.parametrize("kind", FAILURES)
def test_a_failed_correction_leaves_the_submitted_version_whole_and_makes_no_version(
    framework, media, monkeypatch, vru_staff, kind
):
    submitted = report_submit(acting_user=vru_staff, version=generate_draft(2026, 1, user=vru_staff))
    before = stored(media)
    assert {f.file.name for f in submitted.files.all()} <= before

    with failure(kind, monkeypatch) as error, pytest.raises(error):
        generate_draft(2026, 1, user=vru_staff, reason="Late crimes recorded.")

    versions = list(ReportVersion.objects.values_list("number", "status"))
    assert versions == [(1, ReportVersion.Status.SUBMITTED)]
    assert stored(media) == before
    assert all(file_matches(f) for f in submitted.files.all())

    correction = generate_draft(2026, 1, user=vru_staff, reason="Late crimes recorded.")
    assert correction.number == 2
    assert all(file_matches(f) for f in correction.files.all())


@pytest.mark.parametrize("kind", FAILURES)
def test_a_failed_submission_leaves_the_draft_as_it_was_and_unlocked(
    framework, media, monkeypatch, vru_staff, kind
):
    draft = generate_draft(2026, 1, user=vru_staff)
    before = {f.kind: (f.file.name, f.sha256) for f in draft.files.all()}

    with failure(kind, monkeypatch) as error, pytest.raises(error):
        report_submit(acting_user=vru_staff, version=draft)

    draft.refresh_from_db()
    assert draft.status == ReportVersion.Status.DRAFT
    assert not Period.objects.for_quarter(draft.report.fq).get().is_locked
    assert {f.kind: (f.file.name, f.sha256) for f in draft.files.all()} == before
    assert stored(media) == {name for name, _sha in before.values()}

    submitted = report_submit(acting_user=vru_staff, version=draft)
    assert submitted.status == ReportVersion.Status.SUBMITTED
    assert all(file_matches(f) for f in submitted.files.all())
