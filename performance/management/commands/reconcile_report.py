"""Check a quarter's Home Office report against the records: ``manage.py reconcile_report 2026/27 Q2``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from governance.quarters import FinancialQuarter
from performance.models import Period, ReportVersion
from performance.reporting.reconcile import reconcile_fresh, reconcile_version


class Command(BaseCommand):
    help = (
        "Read a report version's stored XLSX back and compare every figure with its sources and with an "
        "independent recomputation from the records. Without --version the latest stored version is read; "
        "with --fresh (or when the quarter has no report yet) the XLSX is built from the records now. "
        "'all' checks every quarter with a data-collection period up to the last complete one. Exits 1 on "
        "any difference."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        # "--version N" is this command's version number, in place of Django's "--version".
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("quarter", nargs="+", help='a financial quarter such as "2026/27 Q2", or "all"')
        parser.add_argument("--version", type=int, help="the version number (default: the latest)")
        parser.add_argument("--fresh", action="store_true", help="build the XLSX from the records now")

    def handle(self, *args: Any, **options: Any) -> None:
        text = " ".join(options["quarter"])
        if text == "all":
            last = FinancialQuarter.of(timezone.localdate()).previous()
            quarters = [
                q
                for q in (
                    FinancialQuarter(p.year, p.quarter) for p in Period.objects.order_by("year", "quarter")
                )
                if q <= last
            ]
        else:
            try:
                quarters = [FinancialQuarter.parse(text)]
            except ValueError as error:
                raise CommandError(str(error)) from error
        failed = 0
        for quarter in quarters:
            versions = ReportVersion.objects.filter(
                report__year=quarter.year, report__quarter=quarter.quarter
            )
            if options["version"] is not None:
                version = versions.filter(number=options["version"]).first()
                if version is None:
                    raise CommandError(f"{quarter.label} has no version {options['version']}.")
            else:
                version = None if options["fresh"] else versions.order_by("-number").first()
            if version is None:
                what, differences = f"{quarter.label}, built from the records now", reconcile_fresh(quarter)
            else:
                what, differences = f"{quarter.label} version {version.number}", reconcile_version(version)
            if differences:
                failed += 1
                self.stdout.write(f"{what}: {len(differences)} difference(s)")
                for difference in differences:
                    self.stdout.write(f"  {difference}")
            else:
                self.stdout.write(f"{what}: reconciled")
        if failed:
            raise CommandError(f"{failed} of {len(quarters)} report(s) do not reconcile.", returncode=1)
