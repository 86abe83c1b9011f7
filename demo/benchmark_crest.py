"""Benchmark data for the tracker: recommendations with progress logs and linked actions.

Run by ``generate_benchmark_data`` after the governance generator (``demo.benchmark``), whose
meetings, people and actions it links to. Seeded and bulk-inserted like the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crest.models import ProgressEntry, Recommendation, SourceReport
from demo.benchmark import BENCH_PREFIX, Context, bulk
from governance.models import RAG, Action, Meeting, Person, TheoryOfChangeActivity

PROGRESS_PER_RECOMMENDATION = 6
ACTIONS_PER_RECOMMENDATION = 3


def generate_crest(context: Context) -> str:
    if SourceReport.objects.filter(short_name="Bench review").exists():
        return "Crest benchmark data already present."
    rng, count = context.rng, context.scale.recommendations
    report = SourceReport.objects.create(
        title=f"{BENCH_PREFIX}review of the partnership",
        short_name="Bench review",
        published_on=context.start,
    )
    people = list(Person.objects.filter(full_name__startswith=BENCH_PREFIX).order_by("pk"))
    svrp_meetings = list(
        Meeting.objects.filter(group__short_name="SVRP", status=Meeting.Status.HELD).order_by("date", "pk")
    )
    activities = list(TheoryOfChangeActivity.objects.order_by("order"))
    span = (context.end - context.start).days
    recommendations = []
    for i in range(count):
        owner = people[i % len(people)]
        achieved = i % 5 == 0 and bool(svrp_meetings)
        meeting = svrp_meetings[i * len(svrp_meetings) // count] if achieved else None
        status = (
            Recommendation.Status.ACHIEVED
            if achieved
            else rng.choice([Recommendation.Status.NOT_STARTED, Recommendation.Status.IN_PROGRESS])
        )
        recommendations.append(
            Recommendation(
                report=report,
                # Numbered from section 5 on, clear of the Terms of Reference's 4.1 and 4.2.
                number=f"{5 + i // 10}.{i % 10 + 1}",
                text=f"{BENCH_PREFIX}recommendation {i + 1}: strengthen how partners share what works.",
                owner_person=owner,
                owner_organisation=owner.organisation,
                status=status,
                rag=rng.choice(RAG.values),
                target_date=context.start + dt.timedelta(days=rng.randrange(90, span + 365)),
                achieved_on=meeting.date if meeting else None,
                signed_off_at_meeting=meeting,
                signed_off_on=meeting.date if meeting else None,
                evidence="Evidence agreed by the board." if achieved else "",
            )
        )
    recommendations = bulk(Recommendation, recommendations)
    author = _author()
    step = max(1, span // (PROGRESS_PER_RECOMMENDATION + 1))
    bulk(
        ProgressEntry,
        (
            ProgressEntry(
                recommendation=rec,
                date=context.start + dt.timedelta(days=step * (k + 1) + i % 7),
                text=f"Progress {k + 1} on {rec.number}: reported to the board.",
                rag=rng.choice(RAG.values),
                author=author,
            )
            for i, rec in enumerate(recommendations)
            for k in range(PROGRESS_PER_RECOMMENDATION)
        ),
    )
    actions = list(
        Action.objects.filter(reference__startswith="BENCH-")
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    links = Recommendation.actions.through
    bulk(
        links,
        (
            links(recommendation_id=rec.pk, action_id=actions[(i * 37 + k * 11) % len(actions)])
            for i, rec in enumerate(recommendations)
            for k in range(ACTIONS_PER_RECOMMENDATION)
            if actions
        ),
    )
    toc_links = Recommendation.toc_activities.through
    bulk(
        toc_links,
        (
            toc_links(recommendation_id=rec.pk, theoryofchangeactivity_id=activities[i % len(activities)].pk)
            for i, rec in enumerate(recommendations)
            if activities
        ),
    )
    entries = len(recommendations) * PROGRESS_PER_RECOMMENDATION
    return (
        f"Crest: {len(recommendations)} recommendations with {entries} progress entries and linked actions."
    )


def _author() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bench.staff")
