"""Accounts that follow the register: invite a person, give them the roles their seats carry, and take
those roles away on the day their last tenure ends.

Roles that come from seats are Board member (a tenure on the SVRP itself, other than as its
secretariat) and Sub-group chair (the chair of a sub-group). The other roles (VRU staff, Data
provider, Administrator) are given by hand in the admin and are never touched here.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts import invitation_path
from core.authorship import ActingUser, stamp
from core.models import AccessRemoval
from core.outbox import enqueue
from core.roles import Role

from ..emails import absolute, build_email, site_url
from ..models import Membership, PartnershipGroup, Person

logger = logging.getLogger(__name__)

SEAT_ROLES = (Role.BOARD_MEMBER, Role.SUBGROUP_CHAIR)
TWO_FACTOR_ROLES = (Role.VRU_STAFF, Role.ADMINISTRATOR)


def seat_roles(person: Person, day: dt.date) -> frozenset[Role]:
    """The roles a person's tenures in force on a day carry."""
    roles: set[Role] = set()
    tenures = Membership.objects.active_on(day).filter(person=person).select_related("group")
    for tenure in tenures:
        group = tenure.group
        if group.kind == PartnershipGroup.Kind.PARTNERSHIP and group.parent_id is None:
            if tenure.role != Membership.Role.SECRETARIAT:
                roles.add(Role.BOARD_MEMBER)
        elif tenure.role == Membership.Role.CHAIR:
            roles.add(Role.SUBGROUP_CHAIR)
    return frozenset(roles)


def _roles_of(user: Any) -> frozenset[Role]:
    names = set(user.groups.values_list("name", flat=True)) if user is not None else set()
    return frozenset(role for role in Role if role.value in names)


@dataclass(frozen=True)
class InvitationPlan:
    """What inviting a person will do, shown before it is done."""

    person: Person
    username: str
    email: str
    user: Any  # the account to be used, when one exists
    roles_now: frozenset[Role]
    roles_added: frozenset[Role]
    two_factor: bool
    link_days: int
    problems: list[str] = field(default_factory=list)

    @property
    def roles_after(self) -> list[str]:
        return sorted(role.value for role in self.roles_now | self.roles_added)


def _account_for(person: Person, email: str) -> tuple[Any, list[str]]:
    User = get_user_model()
    if person.user_id is not None:
        return person.user, []
    user = User.objects.filter(username__iexact=email).first()
    if user is not None and Person.objects.filter(user=user).exists():
        return None, [
            _("The account %(username)s already belongs to another person in the register.")
            % {"username": user.get_username()}
        ]
    return user, []


def invitation_plan(*, person: Person, today: dt.date | None = None) -> InvitationPlan:
    day = today or timezone.localdate()
    email = (person.email or "").strip()
    problems: list[str] = []
    user = None
    if not email:
        problems.append(
            _("%(person)s has no email address in the register. Add one first.") % {"person": person}
        )
    elif person.archived_at is not None:
        problems.append(_("%(person)s is archived.") % {"person": person})
    else:
        user, problems = _account_for(person, email)
    roles_now = _roles_of(user)
    roles_added = seat_roles(person, day) - roles_now
    user_is_staff = bool(user is not None and (user.is_staff or user.is_superuser))
    return InvitationPlan(
        person=person,
        username=user.get_username() if user is not None else email.lower(),
        email=email,
        user=user,
        roles_now=roles_now,
        roles_added=roles_added,
        two_factor=settings.SVRP_REQUIRE_2FA
        and (user_is_staff or bool((roles_now | roles_added) & set(TWO_FACTOR_ROLES))),
        link_days=settings.SVRP_INVITATION_DAYS,
        problems=problems,
    )


def _add_roles(user: Any, roles: frozenset[Role]) -> None:
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])


@transaction.atomic
def person_invite(*, acting_user: ActingUser, person: Person, today: dt.date | None = None) -> Any:
    """Create or link the person's account, give it their seats' roles and e-mail them a link to choose
    a password. An account that already has a password keeps it until the link is used."""
    plan = invitation_plan(person=person, today=today)
    if plan.problems:
        raise ValidationError(plan.problems)
    user = plan.user
    if user is None:
        first, _sep, last = person.full_name.partition(" ")
        user = get_user_model()(
            username=plan.username, email=plan.email, first_name=first[:150], last_name=last[:150]
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
    changed = []
    if not user.is_active:
        user.is_active = True
        changed.append("is_active")
    if not user.email:
        user.email = plan.email
        changed.append("email")
    if changed:
        user.save(update_fields=changed)
    if person.user_id != user.pk:
        person.user = user
        stamp(person, acting_user)
        person.save(update_fields=["user", "modified", "modified_by"])
    _add_roles(user, plan.roles_added)
    enqueue("governance.send_invitation", person_id=person.pk)
    return user


def invitation_send(*, person_id: int) -> bool:
    """E-mail a person the link to their account (a new link each time). False if they have none."""
    person = Person.objects.select_related("user").filter(pk=person_id).first()
    if person is None or person.user is None or not person.user.is_active:
        return False
    user = person.user
    message = build_email(
        "invitation",
        to=[person.email or user.email],
        context={
            "person": person,
            "username": user.get_username(),
            "link": absolute(invitation_path(user)),
            "days": settings.SVRP_INVITATION_DAYS,
            "lost_url": site_url("password_reset"),
        },
    )
    message.send()
    return True


# --- Leavers ---------------------------------------------------------------------------------------


def leavers_on(day: dt.date) -> Any:
    """People with an account whose every tenure has ended by this day (their last day in a seat is on
    or before it), with ``left_on`` their last day. A tenure still running or yet to start (a mover)
    keeps them out."""
    return (
        Person.objects.filter(user__isnull=False, memberships__isnull=False)
        .exclude(memberships__end_date__isnull=True)
        .exclude(memberships__end_date__gt=day)
        .annotate(left_on=Max("memberships__end_date"))
        .select_related("user")
        .order_by("pk")
    )


def _remove_access(person: Any) -> AccessRemoval | None:
    user = person.user
    with transaction.atomic():
        removal, created = AccessRemoval.objects.get_or_create(
            user=user, left_on=person.left_on, defaults={"person_name": person.full_name}
        )
        if not created:
            return None
        removed = sorted(role.value for role in _roles_of(user) & set(SEAT_ROLES))
        user.groups.remove(*Group.objects.filter(name__in=removed))
        left = _roles_of(user)
        deactivate = not left and not (user.is_staff or user.is_superuser) and user.is_active
        if deactivate:
            user.is_active = False
            user.save(update_fields=["is_active"])
        removal.roles_removed = removed
        removal.deactivated = deactivate
        removal.save(update_fields=["roles_removed", "deactivated"])
    logger.info("Leaver %s (user %s): roles %s removed.", person.full_name, user.pk, removed)
    return removal


def _notify(removal: AccessRemoval) -> None:
    """Tell the leaver and VRU staff, in one connection; marked told only once both are accepted."""
    with transaction.atomic():
        removal = AccessRemoval.objects.select_for_update().select_related("user").get(pk=removal.pk)
        if removal.notified_at is not None:
            return
        context = {"removal": removal, "register_url": site_url("governance:membership")}
        messages = []
        if removal.user.email:
            messages.append(build_email("access_ended", to=[removal.user.email], context=context))
        staff = list(
            get_user_model()
            .objects.filter(groups__name=Role.VRU_STAFF.value, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
            .distinct()
        )
        if staff:
            messages.append(build_email("leaver_staff", to=staff, context=context))
        removal.notified_at = timezone.now()
        removal.save(update_fields=["notified_at"])
        if messages:
            get_connection().send_messages(messages)


def leavers_access_remove(*, today: dt.date) -> int:
    """Take away the seat roles of everyone whose last tenure ended by today, once per leaving day, and
    tell them and VRU staff. An account left with no role (and no admin access) is deactivated, so it
    can no longer sign in; the account, its person and its history stay. Answers how many left today."""
    count = 0
    for person in leavers_on(today):
        if _remove_access(person) is not None:
            count += 1
    for removal in AccessRemoval.objects.filter(notified_at__isnull=True):
        _notify(removal)
    return count


def recent_access_removals(*, limit: int = 20) -> list[AccessRemoval]:
    return list(AccessRemoval.objects.select_related("user")[:limit])
