from __future__ import annotations

import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from core import tasks
from core.backups import backup_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def own_folders(settings, tmp_path):
    # Never the shared test MEDIA_ROOT: a restore empties the folder it restores into.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SVRP_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT.mkdir()
    return tmp_path


def test_backup_then_restore_brings_back_records_and_uploaded_files(capsys, settings, make_user):
    User = get_user_model()
    make_user(username="kept.member", first_name="Kept")
    paper = default_storage.save("governance/abc/paper.pdf", ContentFile(b"%PDF-1.7 minutes"))

    call_command("backup")
    archive = next(settings.SVRP_BACKUP_DIR.glob("svrp-backup-*.tar.gz"))
    assert str(archive) in capsys.readouterr().out
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    # Things go wrong after the backup.
    User.objects.filter(username="kept.member").delete()
    make_user(username="added.later")
    default_storage.delete(paper)
    default_storage.save("governance/def/stray.pdf", ContentFile(b"stray"))

    call_command("restore", str(archive), "--no-input")

    assert User.objects.filter(username="kept.member", first_name="Kept").exists()
    assert not User.objects.filter(username="added.later").exists()
    with default_storage.open(paper) as restored:
        assert restored.read() == b"%PDF-1.7 minutes"
    assert not default_storage.exists("governance/def/stray.pdf")


def test_an_archive_holds_a_manifest_the_database_and_the_files(settings):
    default_storage.save("crest/x/evidence.docx", ContentFile(b"PK evidence"))
    archive = backup_create()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert {"database.sqlite3", "database.pgdump"} & set(names)
    assert "media/crest/x/evidence.docx" in names


def test_only_the_newest_backups_are_kept(settings):
    settings.SVRP_BACKUP_KEEP = 2
    made = [backup_create() for _ in range(3)]
    assert sorted(settings.SVRP_BACKUP_DIR.glob("*.tar.gz")) == sorted(made[1:])


def test_the_nightly_task_runs_the_same_backup(settings):
    path = tasks.backup.delay().get()
    assert path.startswith(str(settings.SVRP_BACKUP_DIR))


def test_restoring_something_that_is_not_a_backup_is_refused_and_changes_nothing(settings, make_user):
    make_user(username="still.here")
    bogus = settings.SVRP_BACKUP_DIR / "bogus.tar.gz"
    settings.SVRP_BACKUP_DIR.mkdir(parents=True)
    bogus.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="not a portal backup"):
        call_command("restore", str(bogus), "--no-input")
    assert get_user_model().objects.filter(username="still.here").exists()
