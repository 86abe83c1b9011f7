"""What the Crest tracker adds to the portal's extension points (``core.hooks``)."""

from __future__ import annotations

from core import hooks

from . import reference, theory_of_change

hooks.register(hooks.REFERENCE_LOADERS)(reference.load_recommendations)
hooks.register(hooks.TOC_LINKS)(theory_of_change.linked_recommendations)
hooks.register(hooks.ACTION_LINKS)(theory_of_change.recommendations_of_action)
