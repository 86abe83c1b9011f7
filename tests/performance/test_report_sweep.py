"""The nightly sweep of report files that no version refers to (ADR 0003).

The orphans are real ones: a run whose caller's transaction rolled back after it returned leaves the
files it stored with no row (Django has no rollback hook to delete them). A killed worker leaves the
same: files under the version's folder and no row. The sweep deletes those once they are a day old,
and nothing else: not a file a version refers to, not a file of a run that may still be going, not a
file outside the reports' folder.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from performance.models import ReportVersion
from performance.reporting import generate_draft
from performance.reporting.services import file_matches, orphaned_files_sweep, report_submit
from performance.tasks import sweep_report_files
from svrp.celery import app as celery_app
from svrp.schedules import SCHEDULES, sync_beat_schedule

pytestmark = pytest.mark.django_db


class CallerRolledBack(Exception):
    pass


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media: Path) -> set[str]:
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def referenced(*versions: ReportVersion) -> set[str]:
    return {str(f.file.name) for version in versions for f in version.files.all()}


def stored_ago(media: Path, hours: float, names: set[str] | None = None) -> None:
    """Date the files (all of them by default) as stored ``hours`` before the (travelled) clock's now."""
    when = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    for name in stored(media) if names is None else names:
        os.utime(media / name, (when, when))


def regeneration_rolled_back_by_its_caller() -> None:
    with pytest.raises(CallerRolledBack), transaction.atomic():
        generate_draft(2026, 1)
        raise CallerRolledBack


@pytest.fixture
def submitted_and_draft(
    framework, media, vru_staff, django_capture_on_commit_callbacks
) -> tuple[ReportVersion, ReportVersion]:
    # Committed runs, as in production: a replaced draft's old files are deleted on commit.
    with django_capture_on_commit_callbacks(execute=True):
        submitted = report_submit(acting_user=vru_staff, version=generate_draft(2026, 1, user=vru_staff))
        draft = generate_draft(2026, 1, user=vru_staff, reason="Late crimes recorded.")
    assert stored(media) == referenced(submitted, draft)
    assert (submitted.number, draft.number) == (1, 2)
    return submitted, draft


def test_orphans_older_than_a_day_are_deleted_and_every_file_of_the_submitted_and_draft_versions_kept(
    submitted_and_draft, media
):
    submitted, draft = submitted_and_draft
    kept = referenced(submitted, draft)
    regeneration_rolled_back_by_its_caller()
    orphans = stored(media) - kept
    assert len(orphans) == 3  # the rolled-back run's XLSX, PDF and zip, under the draft's folder

    stored_ago(media, 25)  # the versions' files too: they are kept because they are referenced
    assert orphaned_files_sweep() == 3

    assert stored(media) == kept
    assert all(file_matches(f) for f in [*submitted.files.all(), *draft.files.all()])


def test_a_fresh_orphan_is_kept_as_it_may_be_a_run_still_in_progress(submitted_and_draft, media):
    before = stored(media)
    regeneration_rolled_back_by_its_caller()
    fresh = stored(media) - before
    assert len(fresh) == 3

    stored_ago(media, 23)
    assert orphaned_files_sweep() == 0

    assert stored(media) == before | fresh


def test_a_file_outside_the_reports_folder_is_never_touched(submitted_and_draft, media):
    submitted, draft = submitted_and_draft
    outside = {"papers/agenda.pdf", "crest/evidence/photo.jpg", "reports.pdf", "reportsx/v1/a.pdf"}
    for name in outside:
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(b"not a report file")
    regeneration_rolled_back_by_its_caller()

    stored_ago(media, 25)  # the versions' files too: they are kept because they are referenced
    assert orphaned_files_sweep() == 3

    assert stored(media) == referenced(submitted, draft) | outside


def test_running_the_sweep_twice_deletes_nothing_more(submitted_and_draft, media):
    submitted, draft = submitted_and_draft
    regeneration_rolled_back_by_its_caller()

    stored_ago(media, 25)
    assert orphaned_files_sweep() == 3
    assert orphaned_files_sweep() == 0

    assert stored(media) == referenced(submitted, draft)
    assert all(file_matches(f) for f in [*submitted.files.all(), *draft.files.all()])


def test_the_sweep_does_nothing_before_any_report_exists(media):
    assert orphaned_files_sweep() == 0
    assert stored(media) == set()


def test_beat_runs_the_sweep_nightly_and_the_task_deletes_the_orphans(submitted_and_draft, media):
    submitted, draft = submitted_and_draft
    schedule = {s.task: s for s in SCHEDULES}["performance.sweep_report_files"]
    assert (schedule.crontab["hour"], schedule.crontab["minute"], schedule.crontab["day_of_week"]) == (
        "3",
        "15",
        "*",
    )
    sync_beat_schedule()
    assert PeriodicTask.objects.filter(task="performance.sweep_report_files", enabled=True).exists()
    celery_app.loader.import_default_modules()
    assert "performance.sweep_report_files" in celery_app.tasks

    regeneration_rolled_back_by_its_caller()
    stored_ago(media, 25)
    assert sweep_report_files.delay().get() == 3
    assert stored(media) == referenced(submitted, draft)
