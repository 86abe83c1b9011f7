"""What the Crest tracker adds to the portal's extension points (``core.hooks``)."""

from __future__ import annotations

from django.db.models import Model

from core import hooks

from . import (
    reference,
    search_sources,  # noqa: F401  (registers the kinds it offers to search)
    theory_of_change,
)
from .content_scopes import CREST

hooks.register(hooks.REFERENCE_LOADERS)(reference.load_recommendations)
hooks.register(hooks.TOC_LINKS)(theory_of_change.linked_recommendations)
hooks.register(hooks.ACTION_LINKS)(theory_of_change.recommendations_of_action)


@hooks.register(hooks.CONTENT_SCOPES)
def content_scopes() -> dict[str, list[type[Model]]]:
    from . import models as m

    return {CREST: [m.SourceReport, m.Recommendation, m.EvidenceFile, m.ProgressEntry]}
