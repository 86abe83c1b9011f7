"""Create one demonstration account per role (only with DEBUG on; never in production)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.roles import Role
from demo.accounts import DEMO_ACCOUNTS


def credentials_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.txt"


class Command(BaseCommand):
    help = "Create the demo accounts, one per role, when DEBUG is on."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Create them even with DEBUG off (tests).")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo accounts are only created with DEBUG on.")
        path = credentials_file()
        password = settings.DEMO_PASSWORD
        from_file = False
        if not password and path.exists():
            # Keep the password printed the first time: running twice changes nothing.
            for line in path.read_text().splitlines():
                if line.startswith("password: "):
                    password, from_file = line.removeprefix("password: "), True
        if not password:
            password = secrets.token_urlsafe(12)
        User = get_user_model()
        created = []
        with transaction.atomic():
            for username, role, first, last in DEMO_ACCOUNTS:
                user, was_created = User.objects.get_or_create(
                    username=username,
                    defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
                )
                if was_created or settings.DEMO_PASSWORD:
                    user.set_password(password)
                if role is Role.ADMINISTRATOR:
                    # The role keeps the registers in the admin; the technical sections are for a
                    # superuser (``createsuperuser``), as in production (core.admin_access).
                    user.is_staff = True
                    user.is_superuser = False
                user.save()
                user.groups.add(Group.objects.get_or_create(name=role.value)[0])
                if was_created:
                    created.append(username)
        if not settings.DEMO_PASSWORD and not from_file:
            path.write_text(
                "SVRP Portal demo accounts (DEBUG only)\n"
                + "".join(f"user: {u}\n" for u, *_ in DEMO_ACCOUNTS)
                + f"password: {password}\n"
            )
            path.chmod(0o600)
            self.stdout.write(f"Demo accounts: {', '.join(u for u, *_ in DEMO_ACCOUNTS)}")
            self.stdout.write(f"Demo password (shown once, kept in {path}): {password}")
        elif created:
            self.stdout.write(f"Demo accounts created: {', '.join(created)}")
        else:
            self.stdout.write(f"Demo accounts exist; password in {path if from_file else 'DEMO_PASSWORD'}.")
