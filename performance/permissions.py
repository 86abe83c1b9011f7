"""Who may do what in the performance framework: plain predicates and one helper that refuses.

- Every signed-in user with a role reads the dashboards (board members above all).
- Data providers enter and submit only their own organisation's measures: their Person's organisation
  must be the measure's data source. Derived measures are never entered by anyone.
- VRU staff verify figures, follow each quarter's data returns, lock periods, record corrections,
  open survey rounds and keep grant returns.
- The survey is answered by the board members of specified and relevant authorities who were invited.
- Small counts (1 to 7) are shown unsuppressed to the roles the board trusts with them; everyone else
  (sub-group chairs, and anything published) sees "*".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from core.roles import Role, has_role, is_vru_staff, user_roles

from .models import Measure, SurveyInvitation

UNSUPPRESSED_ROLES = (Role.VRU_STAFF, Role.BOARD_MEMBER, Role.DATA_PROVIDER, Role.ADMINISTRATOR)


def person_organisation_id(user: Any) -> int | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return None if person is None else person.organisation_id


def can_view_dashboard(user: Any) -> bool:
    return bool(user_roles(user))


def can_see_small_numbers(user: Any) -> bool:
    return has_role(user, *UNSUPPRESSED_ROLES)


def can_use_submit_page(user: Any) -> bool:
    return has_role(user, Role.DATA_PROVIDER, Role.VRU_STAFF)


def can_enter_measure(user: Any, measure: Measure) -> bool:
    return (
        has_role(user, Role.DATA_PROVIDER)
        and not measure.derived
        and measure.archived_at is None
        and person_organisation_id(user) == measure.data_source_id
    )


def can_verify(user: Any) -> bool:
    return is_vru_staff(user)


def can_view_returns(user: Any) -> bool:
    """Which data returns of a quarter are in, late or missing: the secretariat's chasing list."""
    return is_vru_staff(user)


def can_manage(user: Any) -> bool:
    """Lock periods, correct locked figures, open survey rounds, keep grant returns."""
    return is_vru_staff(user)


def can_answer(user: Any, invitation: SurveyInvitation) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return (
        person is not None
        and has_role(user, Role.BOARD_MEMBER)
        and invitation.person_id == person.pk
        and invitation.round.is_open
    )


def require(allowed: bool) -> None:
    """Refuse with 403 unless allowed (the views' and services' one way to say no)."""
    if not allowed:
        raise PermissionDenied


def can_view_reports(user: Any) -> bool:
    """The Home Office report: VRU staff run it, board members read it; nobody else sees it."""
    return has_role(user, Role.VRU_STAFF, Role.BOARD_MEMBER)
