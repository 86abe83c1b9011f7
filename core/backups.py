"""Backups of the database and the uploaded files, as one archive under ``SVRP_BACKUP_DIR``.

An archive is a gzipped tar holding ``manifest.json``, the database (``database.sqlite3`` made with
SQLite's online backup API, or ``database.pgdump`` from ``pg_dump --format=custom``) and ``media/``.
``backup_restore`` puts both back; the database in the archive must be of the same kind as the one
configured. Archives are written under a temporary name and renamed when complete, so a backup that
dies half-way never looks like a good one; the newest ``SVRP_BACKUP_KEEP`` are kept.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
PREFIX = "svrp-backup-"
SUFFIX = ".tar.gz"


class BackupError(Exception):
    """A backup or restore could not be made; the message says why, for the person running it."""


def _pg_env() -> tuple[dict[str, str], str]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env, str(connection.settings_dict["NAME"])


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")


def _dump_database(folder: Path) -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(folder / "database.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        env, name = _pg_env()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={folder / 'database.pgdump'}",
                name,
            ],
            env,
        )
        return "database.pgdump"
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def backup_create(*, directory: Path | None = None) -> Path:
    """Write a new archive of the database and MEDIA_ROOT; return its path."""
    directory = Path(directory or settings.SVRP_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    final = directory / f"{PREFIX}{stamp}-{uuid.uuid4().hex[:6]}{SUFFIX}"
    partial = final.with_name(final.name + ".partial")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="svrp-backup-") as tmp:
        folder = Path(tmp)
        database_file = _dump_database(folder)
        media_files = sum(1 for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else 0
        manifest = {
            "format": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "database_file": database_file,
            "media_files": media_files,
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(folder / "manifest.json", arcname="manifest.json")
            archive.add(folder / database_file, arcname=database_file)
            if media_root.exists():
                archive.add(media_root, arcname="media")
    partial.chmod(0o600)  # personal data: readable by the portal's own user only
    partial.rename(final)
    _prune(directory)
    logger.info("Backup written to %s (%s uploaded files).", final, media_files)
    return final


def _prune(directory: Path) -> None:
    keep = settings.SVRP_BACKUP_KEEP
    archives = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in archives[keep:]:
        old.unlink(missing_ok=True)


def backup_restore(path: Path) -> dict[str, Any]:
    """Replace the database and MEDIA_ROOT with the archive's. Stop the web server and workers first."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    with tempfile.TemporaryDirectory(prefix="svrp-restore-") as tmp:
        folder = Path(tmp)
        try:
            with tarfile.open(path, "r:gz") as archive:
                archive.extractall(folder, filter="data")
            manifest = json.loads((folder / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError(f"{path.name} is not a portal backup ({exc}).") from exc
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"{path.name} has an unknown format.")
        connection.ensure_connection()
        if manifest["database"] != connection.vendor:
            raise BackupError(
                f"{path.name} holds a {manifest['database']} database; this portal uses {connection.vendor}."
            )
        _restore_database(folder / manifest["database_file"])
        _restore_media(folder / "media")
    ContentType.objects.clear_cache()
    logger.info("Restored %s.", path)
    return manifest


def _restore_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    env, name = _pg_env()
    connections.close_all()  # pg_restore --clean drops tables this process may hold open
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={name}",
            str(dump),
        ],
        env,
    )


def _restore_media(source: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.exists():
        shutil.copytree(source, media_root, dirs_exist_ok=True)
