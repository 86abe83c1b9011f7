"""Who may see and change what in the governance app: the one place these rules live.

Plain predicates (``can_*``) for templates and views, and ``require`` which turns a refusal into
``PermissionDenied`` (or ``Http404`` where even the existence of a record must not leak).

Registers (membership, organisations, Terms of Reference, Theory of Change):
- Every signed-in role reads the register, the Terms of Reference and the Theory of Change.
- Contact details (email and phone) are for VRU staff, Administrators and Board members: the people who
  run the partnership and those who sit on it and need to reach each other. Sub-group chairs and data
  providers see organisations, seats and names without contact details.
- An organisation's change history is for VRU staff and Administrators.
- Edits to the registers happen in the Django admin, for Administrators only (DESIGN.md: "membership
  upkeep in the Django admin"); VRU staff read everything, history included, but do not edit there.
- The public sees the published membership (organisations and seats, no names, emails or phone
  numbers) and the current approved Terms of Reference.

Meetings and the action log:
- VRU staff see and edit everything.
- A board member edits only their own actions and their own attendance (before the meeting).
- A sub-group chair submits only their own group's update.
- Any signed-in user sees meetings and the action log; confidential papers are for the board only
  (VRU staff and board members).
- The public sees only published meetings, and never a confidential paper.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from core.compiled import CompiledRows
from core.roles import Role, has_role, is_vru_staff

if TYPE_CHECKING:
    from .models import Action, Attendance, Meeting, Paper, PartnershipGroup, Person


def person_of(user: Any) -> Person | None:
    """The register entry linked to a login, or None (cached on the user for the request)."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_svrp_person"):
        from .models import Person

        user._svrp_person = Person.objects.filter(user=user).select_related("organisation").first()
    return user._svrp_person  # type: ignore[no-any-return]


def chaired_groups(user: Any, day: dt.date | None = None) -> list[PartnershipGroup]:
    """Sub-groups whose current chair is this user's Person (the Sub-group chair role's reach)."""
    person = person_of(user)
    if person is None:
        return []
    from .models import Membership, PartnershipGroup

    day = day or timezone.localdate()
    ids = (
        Membership.objects.active_on(day)
        .filter(person=person, role=Membership.Role.CHAIR, group__kind=PartnershipGroup.Kind.SUBGROUP)
        .values("group_id")
    )
    return list(PartnershipGroup.objects.filter(pk__in=ids))


def can_manage_meetings(user: Any) -> bool:
    return is_vru_staff(user)


def can_see_confidential(user: Any) -> bool:
    return has_role(user, Role.VRU_STAFF, Role.BOARD_MEMBER)


def _sat_on_the_group(who: Q, *, group: Any, day: Any) -> Any:
    """The member rule of ``can_see_drafts``, its one statement: ``who``'s memberships of ``group`` in
    force on ``day`` (values, or references to a meeting's row's columns)."""
    from .models import Membership

    return Membership.objects.active_on(day).filter(who, group_id=group)


# For one meeting, asked on every view of its page: through the login, without reading the person
# first; compiled once (core.compiled), run with the login, the group and the day.
_SAT_THROUGH_THE_LOGIN = CompiledRows(
    lambda user, group, day: _sat_on_the_group(Q(person__user_id=user), group=group, day=day).values_list(
        "pk"
    )[:1],
    user=int,
    group=int,
    day=dt.date,
)


def can_see_drafts(user: Any, meeting: Meeting) -> bool:
    """Draft minutes and decisions: VRU staff and the members of the meeting's group, until approved.

    Everyone else (data providers, chairs and members of other groups) sees them once the minutes
    are approved; the public once they are published.
    """
    if has_role(user, Role.VRU_STAFF):
        return True
    if user is None or not user.is_authenticated:
        return False
    return bool(_SAT_THROUGH_THE_LOGIN.rows(user=user.pk, group=meeting.group_id, day=meeting.date))


def meeting_viewer(user: Any, meeting: Meeting) -> tuple[bool, Attendance | None]:
    """For the meeting page: whether this viewer sees its draft minutes (``minutes_visible``), and their
    own row of its register when they may answer with it (staff, or a member before the meeting): after
    the meeting a member's row is not read at all."""
    drafts = minutes_visible(user, meeting)
    if user is None or not user.is_authenticated or not (is_vru_staff(user) or open_to_replies(meeting)):
        return drafts, None
    from .models import Attendance

    own = Attendance.objects.filter(meeting_id=meeting.pk, person__user_id=user.pk).order_by("pk").first()
    return drafts, own


def drafts_visible_filter(user: Any, *, group: str, date: str) -> Q:
    """``can_see_drafts`` as a filter, for rows naming a meeting's group and date (the search index).

    The same rule as ``can_see_drafts``: VRU staff, or a membership of the group in force that day.
    """
    if has_role(user, Role.VRU_STAFF):
        return Q()
    person = person_of(user)
    if person is None:
        return Q(pk__in=[])
    # For thousands of rows: the person read once (a join to it in each row's test made the search's
    # plan several times dearer).
    return Q(Exists(_sat_on_the_group(Q(person_id=person.pk), group=OuterRef(group), day=OuterRef(date))))


def minutes_visible(user: Any, meeting: Meeting) -> bool:
    """Whether the meeting's minutes and decisions may be shown to this user now."""
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and minutes.status != minutes.Status.DRAFT:
        return True
    return can_see_drafts(user, meeting)


def can_view_paper(user: Any, paper: Paper, *, meeting_published: bool) -> bool:
    if user is not None and user.is_authenticated:
        return not paper.confidential or can_see_confidential(user)
    return meeting_published and not paper.confidential


def owns_action(user: Any, action: Action) -> bool:
    person = person_of(user)
    return person is not None and action.owner_id == person.pk


def can_edit_action(user: Any, action: Action) -> bool:
    return is_vru_staff(user) or owns_action(user, action)


def can_edit_all_actions(user: Any) -> bool:
    return is_vru_staff(user)


def can_edit_attendance(user: Any, attendance: Attendance, meeting: Meeting) -> bool:
    """Staff record anyone's attendance; a member sends their own apologies or deputy beforehand."""
    if is_vru_staff(user):
        return True
    if not open_to_replies(meeting):
        return False
    person = person_of(user)
    return person is not None and attendance.person_id == person.pk


def open_to_replies(meeting: Meeting) -> bool:
    """Members reply (apologies, a deputy) to a meeting still to come, never after it."""
    return meeting.status == meeting.Status.SCHEDULED and meeting.date >= timezone.localdate()


def can_submit_update(user: Any, group: PartnershipGroup) -> bool:
    if is_vru_staff(user):
        return True
    return has_role(user, Role.SUBGROUP_CHAIR) and any(g.pk == group.pk for g in chaired_groups(user))


def can_see_update_tracker(user: Any) -> bool:
    return has_role(user, Role.VRU_STAFF, Role.SUBGROUP_CHAIR)


def can_see_history(user: Any) -> bool:
    return is_vru_staff(user)


def can_read_register(user: Any) -> bool:
    return user is not None and user.is_authenticated


def can_see_contact_details(user: Any) -> bool:
    return has_role(user, Role.VRU_STAFF, Role.ADMINISTRATOR, Role.BOARD_MEMBER)


def can_see_register_history(user: Any) -> bool:
    return has_role(user, Role.VRU_STAFF, Role.ADMINISTRATOR)


def can_edit_registers(user: Any) -> bool:
    """Administrators keep the registers in the Django admin."""
    return has_role(user, Role.ADMINISTRATOR) and bool(getattr(user, "is_staff", False))


def can_invite(user: Any) -> bool:
    """VRU staff and Administrators invite people to the portal (governance.services.accounts)."""
    return has_role(user, Role.VRU_STAFF, Role.ADMINISTRATOR)


def require(allowed: bool, *, hide: bool = False) -> None:
    """Refuse with 403, or with 404 when the record's existence itself must not be disclosed."""
    if not allowed:
        if hide:
            raise Http404
        raise PermissionDenied
