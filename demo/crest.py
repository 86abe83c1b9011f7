"""Demonstration data for the tracker: progress on 4.1 and 4.2 and a linked action (DEBUG only)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from crest import services
from crest.models import Recommendation
from crest.reference import load_recommendations
from governance.models import RAG, Action, Organisation, Person, Sector, TheoryOfChangeActivity

PROGRESS = {
    "4.1": (
        (
            120,
            RAG.AMBER,
            "Draft expectations for each specified authority shared with the board for comment.",
        ),
        (40, RAG.GREEN, "Expectations agreed in principle; authorities confirming their named leads."),
    ),
    "4.2": (
        (90, RAG.RED, "Concordat for practitioners scoped; drafting delayed by the local authority review."),
        (20, RAG.AMBER, "First draft of the concordat circulated to the Communications sub-group."),
    ),
}


def _demo_action() -> Action:
    """An action of the meetings demo if there is one; otherwise one of our own, marked as demo data."""
    existing = Action.objects.filter(is_demo=True).order_by("due_date", "pk").first()
    if existing is not None:
        return existing
    organisation = (
        Organisation.objects.current().filter(sector=Sector.VRU).first()
        or Organisation.objects.current().first()
        or Organisation.objects.get_or_create(
            name="Violence Reduction Unit (demo)",
            defaults={"slug": "vru-demo", "sector": Sector.VRU, "duty_status": "none"},
        )[0]
    )
    owner, _ = Person.objects.get_or_create(
        full_name="Jordan Ellis (demo)",
        is_demo=True,
        defaults={"organisation": organisation, "job_title": "Partnership manager"},
    )
    action, _ = Action.objects.get_or_create(
        reference="SVRP-DEMO-CREST",
        defaults={
            "description": "Draft the concordat of roles and remits under the Duty for practitioners.",
            "owner": owner,
            "organisation": owner.organisation,
            "due_date": timezone.localdate() + dt.timedelta(days=45),
            "toc_activity": TheoryOfChangeActivity.objects.filter(code="1.b").first(),
            "is_demo": True,
        },
    )
    return action


def _demo_owner(rec: Recommendation) -> Person | None:
    """A demo member of the register from the owning organisation, for a recommendation without one."""
    if rec.owner_person_id is not None or rec.owner_organisation_id is None:
        return None
    return (
        Person.objects.filter(organisation_id=rec.owner_organisation_id, is_demo=True, archived_at=None)
        .order_by("pk")
        .first()
    )


def load_demo() -> str:
    load_recommendations()
    today = timezone.localdate()
    action = _demo_action()
    added = 0
    for rec in Recommendation.objects.filter(number__in=PROGRESS, report__short_name="JRA 2023"):
        for days_ago, rag, text in PROGRESS[rec.number]:
            if not rec.progress_entries.filter(text=text).exists():
                services.recommendation_record_progress(
                    acting_user=None,
                    recommendation=rec,
                    date=today - dt.timedelta(days=days_ago),
                    text=text,
                    rag=rag,
                )
                added += 1
        if rec.target_date is None:
            rec = services.recommendation_update(
                acting_user=None, recommendation=rec, target_date=today + dt.timedelta(days=120)
            )
        owner = _demo_owner(rec)
        if owner is not None:
            services.recommendation_update(acting_user=None, recommendation=rec, owner_person=owner)
        if not rec.actions.filter(pk=action.pk).exists():
            services.recommendation_link_action(acting_user=None, recommendation=rec, action=action)
    return f"Crest demo: {added} progress entries added; action {action.reference} linked to 4.1 and 4.2."
