from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive under SVRP_BACKUP_DIR."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--directory", help="Write the archive here instead of SVRP_BACKUP_DIR.")

    def handle(self, *args: Any, directory: str | None = None, **options: Any) -> None:
        try:
            path = backup_create(directory=directory)  # type: ignore[arg-type]
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {path}")
