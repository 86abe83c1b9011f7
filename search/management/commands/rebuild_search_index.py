from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Write the search index again from the records (after a bulk load or a restore)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", help="Only this kind (may be repeated).")
        parser.add_argument(
            "--extract", action="store_true", help="Also read the text of files not read yet (slow)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from search.services import index_rebuild, missing_texts, text_extract

        written = index_rebuild(kinds=options["kind"])
        self.stdout.write(f"Search index: {written} entries written.")
        if options["extract"]:
            missing = missing_texts()
            for kind, pk in missing:
                text_extract(kind=kind, object_id=pk)
            self.stdout.write(f"Read the text of {len(missing)} files.")
