"""Every change to the Crest tracker goes through these functions (views, bulk upload, admin, demo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.authorship import ActingUser, author, stamp
from core.uploads import validate_upload
from governance.models import RAG, Action, Meeting, TermsOfReference, TheoryOfChangeActivity
from governance.register_selectors import svrp_group
from governance.services.registers import terms_of_reference_flag_revision

from .models import EvidenceFile, ProgressEntry, Recommendation

# Fields staff may change with recommendation_update; status "achieved" is reached only through
# recommendation_mark_achieved, which needs evidence and the board's sign-off.
UPDATABLE_FIELDS = (
    "text",
    "owner_person",
    "owner_organisation",
    "response",
    "response_reason",
    "status",
    "rag",
    "target_date",
    "evidence",
    "publishable",
)


def recommendation_update(
    *, acting_user: ActingUser, recommendation: Recommendation, **changes: Any
) -> Recommendation:
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"recommendation_update cannot change {sorted(unknown)}")
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if (
            changes.get("status") == Recommendation.Status.ACHIEVED
            and locked.status != Recommendation.Status.ACHIEVED
        ):
            raise ValidationError(
                {"status": _("Use “Mark as achieved” to record the evidence and the board’s sign-off.")}
            )
        for name, value in changes.items():
            setattr(locked, name, value)
        if locked.response == Recommendation.Response.ACCEPTED:
            locked.response_reason = locked.response_reason.strip()
        stamp(locked, acting_user)
        locked.full_clean()
        locked.save()
    return locked


def recommendation_record_progress(
    *, acting_user: ActingUser, recommendation: Recommendation, date: dt.date, text: str, rag: str
) -> ProgressEntry:
    """Add to the progress log; the entry's RAG becomes the recommendation's current rating."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        entry = ProgressEntry(
            recommendation=locked, date=date, text=text.strip(), rag=rag, author=author(acting_user)
        )
        stamp(entry, acting_user)
        entry.full_clean()
        entry.save()
        locked.rag = rag
        if locked.status == Recommendation.Status.NOT_STARTED:
            locked.status = Recommendation.Status.IN_PROGRESS
        stamp(locked, acting_user)
        locked.full_clean()
        locked.save()
    return entry


@contextmanager
def _one_history_record(recommendation: Recommendation, acting_user: ActingUser) -> Iterator[None]:
    """Change a recommendation's links, then record the result once, by ``acting_user``.

    simple_history records a link table change as it happens (``m2m_changed``): a ``set()`` would
    leave two records (the links removed, then those added) and neither would name the user outside
    a request. Its signals are held off while the links change; the save after records the new set of
    links of both tables in one record, with who made the change.
    """
    recommendation.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del recommendation.skip_history_when_saving  # type: ignore[attr-defined]
    stamp(recommendation, acting_user)
    recommendation.save()


def recommendation_link_action(
    *, acting_user: ActingUser, recommendation: Recommendation, action: Action
) -> None:
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.actions.filter(pk=action.pk).exists():
            raise ValidationError(
                {"reference": _("Action %(ref)s is already linked.") % {"ref": action.reference}}
            )
        with _one_history_record(locked, acting_user):
            locked.actions.add(action)


def recommendation_unlink_action(
    *, acting_user: ActingUser, recommendation: Recommendation, action: Action
) -> None:
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        with _one_history_record(locked, acting_user):
            locked.actions.remove(action)


def selectable_toc_activities() -> QuerySet[TheoryOfChangeActivity]:
    """The Theory of Change activities and further functions a recommendation may serve, in ToC order."""
    return TheoryOfChangeActivity.objects.order_by("order", "code")


@dataclass(frozen=True)
class TocLinksChange:
    """What ``recommendation_set_toc_activities`` changed, in ToC order."""

    added: list[TheoryOfChangeActivity]
    removed: list[TheoryOfChangeActivity]
    linked: list[TheoryOfChangeActivity]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def recommendation_set_toc_activities(
    *,
    acting_user: ActingUser,
    recommendation: Recommendation,
    activities: Iterable[TheoryOfChangeActivity | int],
) -> TocLinksChange:
    """Make ``activities`` (objects or ids) the ToC activities the recommendation serves, all or nothing.

    Refused, with nothing changed, if any of them is not a selectable activity (an id made up or
    since deleted) or the recommendation is archived. One history record names who made the change;
    none is written when the links are already those.
    """
    wanted = {a if isinstance(a, int) else a.pk for a in activities}
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.archived_at is not None:
            raise ValidationError(
                _("Recommendation %(number)s is archived: its links cannot change.")
                % {"number": locked.number}
            )
        found = {a.pk: a for a in selectable_toc_activities().filter(pk__in=wanted)}
        if set(found) != wanted:
            raise ValidationError(
                {
                    "activities": _(
                        "Select activities from the list: one of those chosen is not in the Theory of Change."
                    )
                }
            )
        current = {a.pk: a for a in locked.toc_activities.all()}
        added = [found[pk] for pk in found if pk not in current]
        removed = [current[pk] for pk in current if pk not in wanted]
        if added or removed:
            with _one_history_record(locked, acting_user):
                locked.toc_activities.remove(*removed)
                locked.toc_activities.add(*added)

    def in_order(items: Iterable[TheoryOfChangeActivity]) -> list[TheoryOfChangeActivity]:
        return sorted(items, key=lambda a: (a.order, a.code))

    return TocLinksChange(added=in_order(added), removed=in_order(removed), linked=in_order(found.values()))


def recommendation_add_evidence_file(
    *, acting_user: ActingUser, recommendation: Recommendation, title: str, file: Any
) -> EvidenceFile:
    try:
        file_type = validate_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    with transaction.atomic():
        evidence = EvidenceFile(
            recommendation=recommendation,
            title=title.strip(),
            original_name=str(getattr(file, "name", ""))[-255:],
            file_type=file_type,
            size=file.size,
        )
        evidence.file = file
        stamp(evidence, acting_user)
        evidence.full_clean()
        evidence.save()
    return evidence


def recommendation_mark_achieved(
    *,
    acting_user: ActingUser,
    recommendation: Recommendation,
    meeting: Meeting | None,
    evidence: str = "",
    achieved_on: dt.date | None = None,
) -> TermsOfReference | None:
    """Record achievement with its evidence and the board's sign-off, and flag the ToR for revision.

    Refused without evidence (text, or at least one file already uploaded) and without the SVRP
    meeting where the board agreed it. Returns the Terms of Reference flagged, if one is approved.
    """
    today = timezone.localdate()
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        errors: dict[str, list[str]] = {}
        if locked.status == Recommendation.Status.ACHIEVED:
            raise ValidationError(
                _("Recommendation %(number)s is already achieved.") % {"number": locked.number}
            )
        evidence = (evidence or "").strip() or locked.evidence.strip()
        if not evidence and not locked.evidence_files.exists():
            errors["evidence"] = [
                _("Describe the evidence of achievement, or upload an evidence file first.")
            ]
        if meeting is None:
            errors["meeting"] = [_("Select the meeting where the board signed off the recommendation.")]
        else:
            group = svrp_group()
            if group is None or meeting.group_id != group.pk:
                errors["meeting"] = [_("Select a meeting of the Strategic Violence Reduction Partnership.")]
            elif meeting.status == Meeting.Status.CANCELLED or meeting.date > today:
                errors["meeting"] = [_("Select a meeting that has taken place.")]
        achieved_on = achieved_on or today
        if achieved_on > today:
            errors["achieved_on"] = [_("The date achieved must be today or in the past.")]
        if errors:
            raise ValidationError(errors)
        assert meeting is not None
        locked.status = Recommendation.Status.ACHIEVED
        locked.evidence = evidence
        locked.achieved_on = achieved_on
        locked.signed_off_at_meeting = meeting
        locked.signed_off_on = meeting.date
        locked.rag = RAG.GREEN
        stamp(locked, acting_user)
        locked.full_clean()
        locked.save()
        return terms_of_reference_flag_revision(
            acting_user=acting_user,
            reason=_("Crest recommendation %(number)s achieved: %(text)s")
            % {"number": locked.number, "text": locked.text},
        )
