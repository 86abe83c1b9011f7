"""Every change to the Crest tracker goes through these functions (views, bulk upload, admin, demo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import validate_upload
from governance.models import RAG, Action, Meeting, PartnershipGroup, TermsOfReference

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


def _stamp(obj: Any, acting_user: Any) -> None:
    """Who made the change, on the record and in its history (also outside a request)."""
    obj.modified_by = acting_user
    obj._history_user = acting_user
    if obj._state.adding:
        obj.created_by = acting_user


def recommendation_update(
    *, acting_user: Any, recommendation: Recommendation, **changes: Any
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
        _stamp(locked, acting_user)
        locked.full_clean()
        locked.save()
    return locked


def recommendation_record_progress(
    *, acting_user: Any, recommendation: Recommendation, date: dt.date, text: str, rag: str
) -> ProgressEntry:
    """Add to the progress log; the entry's RAG becomes the recommendation's current rating."""
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        entry = ProgressEntry(
            recommendation=locked, date=date, text=text.strip(), rag=rag, author=acting_user
        )
        _stamp(entry, acting_user)
        entry.full_clean()
        entry.save()
        locked.rag = rag
        if locked.status == Recommendation.Status.NOT_STARTED:
            locked.status = Recommendation.Status.IN_PROGRESS
        _stamp(locked, acting_user)
        locked.full_clean()
        locked.save()
    return entry


def recommendation_link_action(*, acting_user: Any, recommendation: Recommendation, action: Action) -> None:
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.actions.filter(pk=action.pk).exists():
            raise ValidationError(
                {"reference": _("Action %(ref)s is already linked.") % {"ref": action.reference}}
            )
        locked.actions.add(action)
        _stamp(locked, acting_user)
        # A save records the link in the history (simple_history keeps the set of linked actions).
        locked.save()


def recommendation_unlink_action(*, acting_user: Any, recommendation: Recommendation, action: Action) -> None:
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        locked.actions.remove(action)
        _stamp(locked, acting_user)
        locked.save()


def recommendation_add_evidence_file(
    *, acting_user: Any, recommendation: Recommendation, title: str, file: Any
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
        _stamp(evidence, acting_user)
        evidence.full_clean()
        evidence.save()
    return evidence


def svrp_group() -> PartnershipGroup | None:
    """The SVRP itself: the top-level partnership board."""
    return (
        PartnershipGroup.objects.filter(kind=PartnershipGroup.Kind.PARTNERSHIP, parent__isnull=True)
        .order_by("order", "pk")
        .first()
    )


def current_terms_of_reference() -> TermsOfReference | None:
    """The SVRP's approved Terms of Reference, if any."""
    group = svrp_group()
    if group is None:
        return None
    return TermsOfReference.objects.filter(group=group, status=TermsOfReference.Status.APPROVED).first()


def _flag_terms_of_reference_revision(*, acting_user: Any, reason: str) -> TermsOfReference | None:
    """Flag the SVRP's approved Terms of Reference for revision.

    Stands in for ``governance.services.registers.terms_of_reference_flag_revision`` until that is on
    main; the approval of a new version clears the flag.
    """
    group = svrp_group()
    if group is None:
        return None
    terms = (
        TermsOfReference.objects.select_for_update()
        .filter(group=group, status=TermsOfReference.Status.APPROVED)
        .first()
    )
    if terms is None:
        return None
    reasons = [line for line in terms.revision_reason.splitlines() if line.strip()]
    if reason not in reasons:
        reasons.append(reason)
    terms.revision_required = True
    terms.revision_reason = "\n".join(reasons)
    _stamp(terms, acting_user)
    terms.full_clean()
    terms.save()
    return terms


def recommendation_mark_achieved(
    *,
    acting_user: Any,
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
        _stamp(locked, acting_user)
        locked.full_clean()
        locked.save()
        return _flag_terms_of_reference_revision(
            acting_user=acting_user,
            reason=_("Crest recommendation %(number)s achieved: %(text)s")
            % {"number": locked.number, "text": locked.text},
        )
