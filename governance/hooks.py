"""What governance adds to the portal's extension points (``core.hooks``)."""

from __future__ import annotations

from django.db.models import Model

from core import hooks

from . import (
    panels,
    reference,
    reference_registers,
    search_sources,  # noqa: F401  (registers the kinds it offers to search)
    theory_of_change,
)
from .content_scopes import ACTIONS, ATTENDANCE, DECISIONS, MEETINGS, REGISTERS, THEORY_OF_CHANGE

# The registers come first: every other app's reference data refers to them.
for loader in (
    reference.load_roles,
    reference_registers.load_organisations,
    reference_registers.load_groups,
    reference_registers.load_seats,
    reference_registers.load_theory_of_change,
    reference_registers.load_terms_of_reference,
):
    hooks.register(hooks.REFERENCE_LOADERS, order=-10)(loader)

hooks.register(hooks.TOC_LINKS)(theory_of_change.linked_actions)
hooks.register(hooks.HOME_PANELS, order=-10)(panels.panels)


@hooks.register(hooks.CONTENT_SCOPES)
def content_scopes() -> dict[str, list[type[Model]]]:
    """What each cached fragment may key on (``core.content_version``): a page reading the registers
    is not rendered again when an attendance row is recorded."""
    from . import models as m

    return {
        REGISTERS: [
            m.Organisation,
            m.Person,
            m.PartnershipGroup,
            m.Seat,
            m.Membership,
            m.DeclarationOfInterest,
            m.TermsOfReference,
            m.TermsOfReferenceSection,
        ],
        THEORY_OF_CHANGE: [m.TheoryOfChangeActivity],
        MEETINGS: [m.Meeting, m.AgendaItem, m.Paper, m.SubgroupUpdate, m.Minutes, m.MinuteEntry],
        DECISIONS: [m.Decision],
        # Representation is derived from the registers' rows and moves with them.
        ATTENDANCE: [m.Attendance, m.Representation, m.RepresentationTally],
        ACTIONS: [m.Action, m.ActionUpdate],
    }
