"""The reference data of the Terms of Reference, loaded idempotently by ``load_reference_data``.

Each loader creates what is missing and never overwrites what users have edited since.
Every app adds its loaders to the ``core.hooks.REFERENCE_LOADERS`` extension point (governance's
registers first, then the Crest recommendations and the performance framework, in app order).
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from core import hooks
from core.roles import Role


def load_roles() -> str:
    created = sum(Group.objects.get_or_create(name=role.value)[1] for role in Role)
    return f"Roles: {created} created, {len(Role) - created} already present."


def load_all() -> list[str]:
    from svrp.schedules import sync_beat_schedule

    summary = [loader() for loader in hooks.get_hooks(hooks.REFERENCE_LOADERS)]
    summary.append(sync_beat_schedule())
    return summary
