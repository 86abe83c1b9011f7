"""Crest Advisory's recommendations as the Terms of Reference record them (loaded by load_reference_data)."""

from __future__ import annotations

import datetime as dt

from governance.models import Organisation, Sector, TheoryOfChangeActivity

from .models import Recommendation, SourceReport
from .services import recommendation_set_toc_activities

REPORT = {
    "short_name": "JRA 2023",
    "title": "Joint Readiness Assessment for Hampshire & Isle of Wight",
    "author": "Crest Advisory",
    # The ToR gives the month only ("published May 2023").
    "published_on": dt.date(2023, 5, 1),
    "description": (
        "The Home Office commissioned Crest Advisory to assess the VRP’s readiness to meet the Serious "
        "Violence Duty and made necessary recommendations to the Partnership to reach maturity."
    ),
}

# The ToR's own words. Both recommendations are what ToC activity 1.b delivers: 4.1 its "clear
# expectations ... of all specified authorities", 4.2 its "central concordat ... sent to practitioners
# in each area ... roles, responsibilities and remits". Activity 1.c (co-production, public health
# approach) is about something else, so neither links to it.
RECOMMENDATIONS = (
    (
        "4.1",
        "Set expectations with all Specified Authorities on what they are expected to contribute to "
        "the Duty.",
        ("1.b",),
    ),
    (
        "4.2",
        "Disseminate a centralised message to practitioners in each area, clearly defining the roles, "
        "responsibilities and remits under the Duty for each partner authority.",
        ("1.b",),
    ),
)


def load_recommendations() -> str:
    """Create the ToR's recommendations that are missing, linked to their ToC activities.

    The links are set only when the loader creates the recommendation: after that they are the
    users' (edited on the recommendation's page or in the admin), so loading the reference data
    again never re-adds a link staff removed, even when they removed them all.
    """
    report, _ = SourceReport.objects.get_or_create(short_name=REPORT["short_name"], defaults=REPORT)
    # The SVRP delivers them (ToR); the VRU keeps the tracker, so it owns them until staff say otherwise.
    vru = Organisation.objects.current().filter(sector=Sector.VRU).order_by("pk").first()
    created = linked = 0
    for number, text, toc_codes in RECOMMENDATIONS:
        rec, was_created = Recommendation.objects.get_or_create(
            report=report, number=number, defaults={"text": text, "owner_organisation": vru}
        )
        created += was_created
        if was_created:
            # The Theory of Change is loaded before (governance's loaders run first).
            activities = list(TheoryOfChangeActivity.objects.filter(code__in=toc_codes))
            if activities:
                recommendation_set_toc_activities(acting_user=None, recommendation=rec, activities=activities)
                linked += 1
    return (
        f"Crest recommendations: {created} created, {len(RECOMMENDATIONS) - created} already present, "
        f"{linked} linked to the Theory of Change."
    )
