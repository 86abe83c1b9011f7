"""Demonstration data for the Duty's pages: a concordat part-way through its dissemination, the two
delivery plans with milestones, one slipping, and the Duty's documents — a Response Strategy approved
at a demo meeting and a Strategic Needs Assessment still in draft, each a one-page PDF saying it is
demonstration data (DEBUG only; after the meetings demo, whose people and meetings they use)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from duty import services
from duty.models import Concordat, DeliveryPlan, Strategy
from duty.selectors import concordat_areas, concordat_authorities
from governance.models import Decision, Meeting, Person, TheoryOfChangeActivity
from governance.quarters import FinancialQuarter
from performance.models import Grant, SpendReturn

MILESTONES = {
    DeliveryPlan.Kind.VRU: (
        ("VRU-1", "Publish the refreshed Strategic Needs Assessment", -60, "complete", "green", "1.c"),
        ("VRU-2", "Concordat acknowledged by every specified authority", -10, "in_progress", "red", "1.b"),
        ("VRU-3", "Trauma-informed practice training for partner staff", 75, "in_progress", "amber", "1.c"),
    ),
    DeliveryPlan.Kind.SVD_GRANT: (
        ("SVD-1", "Commission the data-sharing analyst post", 30, "in_progress", "amber", "1.d"),
        ("SVD-2", "Community grants round for young people's projects", 120, "not_started", "", "1.c"),
    ),
}


# A one-page PDF whose only text is that it is demonstration data.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 60>>stream\nBT /F1 18 Tf 72 760 Td (Demonstration document) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _documents() -> str:
    meeting = Meeting.objects.filter(is_demo=True, status=Meeting.Status.HELD).order_by("-date").first()
    if meeting is None:
        return "no held demo meeting to approve them"
    decision, _created = Decision.objects.get_or_create(
        reference="SVRP-DEMO-DUTY-1",
        defaults={"meeting": meeting, "text": "The Response Strategy is approved (demonstration)."},
    )
    strategy = services.document_add(
        acting_user=None,
        kind="response_strategy",
        summary="Demonstration: a partnership response built on the needs assessment's findings.",
        file=ContentFile(DEMO_PDF, name="response-strategy-demo.pdf"),
    )
    toc = TheoryOfChangeActivity.objects.filter(code__in=["1.c", "1.d"])
    services.priority_add(
        acting_user=None,
        document=strategy,
        title="Embed a public health and trauma-informed approach in every member agency",
        toc_activities=list(toc),
        strategies=list(Strategy.objects.filter(kind=Strategy.Kind.HIPS)[:2]),
    )
    services.document_approve(acting_user=None, document=strategy, decision=decision)
    services.document_add(
        acting_user=None,
        kind="needs_assessment",
        summary="Demonstration: the draft refresh of the Strategic Needs Assessment.",
        file=ContentFile(DEMO_PDF, name="needs-assessment-demo.pdf"),
    )
    return "a Response Strategy approved, a needs assessment in draft"


def load_demo() -> str:
    if Concordat.objects.filter(is_demo=True).exists():
        return "Duty demo: already loaded."
    today = timezone.localdate()
    concordat = services.concordat_add(
        acting_user=None, issued_on=today - dt.timedelta(days=60), summary="First issue to practitioners."
    )
    Concordat.objects.filter(pk=concordat.pk).update(is_demo=True)
    authorities = concordat_authorities()
    for index, area in enumerate(concordat_areas()):
        # Two thirds sent; of those, every other one acknowledged: a grid with all three states.
        for column, authority in enumerate([area, *authorities]):
            if (index + column) % 3 == 2:
                continue
            services.dissemination_record(
                acting_user=None,
                concordat=concordat,
                area=area,
                authority=authority,
                sent_on=today - dt.timedelta(days=50),
                sent_to=f"Serious Violence Duty lead, {authority.short_name or authority.name}",
                acknowledged_on=today - dt.timedelta(days=40) if (index + column) % 2 == 0 else None,
            )
    owners = list(Person.objects.filter(is_demo=True).select_related("organisation")[:5])
    year = FinancialQuarter.of(today).year
    grant = Grant.objects.filter(kind=Grant.Kind.SVD, year=year).first()
    toc = {a.code: a for a in TheoryOfChangeActivity.objects.all()}
    added = 0
    for kind, rows in MILESTONES.items():
        plan = services.plan_create(acting_user=None, kind=kind, year=year)
        DeliveryPlan.objects.filter(pk=plan.pk).update(is_demo=True)
        for n, (reference, title, days, status, rag, code) in enumerate(rows):
            if not owners:
                break
            owner = owners[n % len(owners)]
            grant_fields: dict[str, Any] = {}
            if kind == DeliveryPlan.Kind.SVD_GRANT and grant is not None:
                category = SpendReturn.Category.LABOUR if n == 0 else SpendReturn.Category.NON_LABOUR
                grant_fields = {"grant": grant, "grant_category": category if grant.is_split else ""}
            services.milestone_save(
                acting_user=None,
                plan=plan,
                reference=reference,
                title=title,
                owner=owner,
                organisation=owner.organisation,
                due_date=today + dt.timedelta(days=days),
                status=status,
                rag=rag,
                toc_activities=[toc[code]] if code in toc else [],
                **grant_fields,
            )
            added += 1
    documents = _documents()
    return (
        f"Duty demo: concordat v{concordat.version} part-sent, {added} milestones in two plans, {documents}."
    )
