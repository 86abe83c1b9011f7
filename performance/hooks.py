"""What the performance framework adds to the portal's extension points (``core.hooks``)."""

from __future__ import annotations

from core import hooks

from . import home, pack, reference

hooks.register(hooks.REFERENCE_LOADERS)(reference.load_framework)
hooks.register(hooks.PACK_SECTIONS)(pack.performance_summary)
hooks.register(hooks.HOME_PANELS)(home.panels)
