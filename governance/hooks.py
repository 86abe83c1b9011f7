"""What governance adds to the portal's extension points (``core.hooks``)."""

from __future__ import annotations

from core import hooks

from . import panels, reference, reference_registers, theory_of_change

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
