from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="A file written by `manage.py backup`.")
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, archive: str, no_input: bool = False, **options: Any) -> None:
        if not no_input:
            answer = input(
                "This replaces the whole database and every uploaded file with the backup's.\n"
                "Stop the web server, the worker and beat first. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = backup_restore(archive)  # type: ignore[arg-type]
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {archive}: {manifest['database']} database of {manifest['created']}, "
            f"{manifest['media_files']} uploaded files."
        )
