"""The reference data of the Terms of Reference, loaded idempotently by ``load_reference_data``.

Each loader creates what is missing and never overwrites what users have edited since.
Other apps register their own loaders in ``LOADERS`` (performance measures, Crest recommendations).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Group

from . import reference_registers
from .roles import Role


def load_roles() -> str:
    created = sum(Group.objects.get_or_create(name=role.value)[1] for role in Role)
    return f"Roles: {created} created, {len(Role) - created} already present."


LOADERS: list[Callable[[], str]] = [load_roles, *reference_registers.LOADERS]


def load_all() -> list[str]:
    from svrp.schedules import sync_beat_schedule

    summary = [loader() for loader in LOADERS]
    summary.append(sync_beat_schedule())
    return summary
