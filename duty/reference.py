"""The strategies the Terms of Reference names for the Response Strategy to align with."""

from __future__ import annotations

from .models import Strategy

# The ToR's footnote 9: "Hampshire, Isle of Wight, Portsmouth, Southampton (HIPS) Exploitation, Public
# Health Approach, Trauma Informed Approach, Youth Justice and Violence Against Women and Girls (VAWG)".
HIPS_OWNER = "Hampshire, Isle of Wight, Portsmouth and Southampton (HIPS) partners"
HIPS_STRATEGIES = (
    "HIPS Exploitation Strategy",
    "HIPS Public Health Approach Strategy",
    "HIPS Trauma Informed Approach Strategy",
    "HIPS Youth Justice Strategy",
    "HIPS Violence Against Women and Girls (VAWG) Strategy",
)


def load_strategies() -> str:
    """Create the HIPS strategies that are missing; staff add the Community Safety Partnerships' own."""
    created = 0
    for name in HIPS_STRATEGIES:
        _strategy, was_created = Strategy.objects.get_or_create(
            name=name, defaults={"kind": Strategy.Kind.HIPS, "owner": HIPS_OWNER}
        )
        created += was_created
    return f"HIPS strategies: {created} created, {len(HIPS_STRATEGIES) - created} already present."
