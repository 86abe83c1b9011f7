"""Every address of the portal, filled in from the demo data, so the crawl visits every page directly.

``every_page()`` walks the URL configuration itself: a page added to any app is crawled without
touching this file, and a page whose address takes a parameter this file cannot fill in makes the
crawl fail, naming the route, until a sample is added to ``SAMPLES``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Routes the crawl leaves out: Django's admin (Django's to test; its links are still followed for the
# administrator), signing out (ends the crawl's session), and DRF's ".json" suffix twins of each API
# address (the same view).
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_ROUTES = {"logout"}


def _first(model: Any, **filters: Any) -> Any:
    found = model.objects.filter(**filters).order_by("pk").first()
    if found is None:
        raise LookupError(f"the demo data has no {model.__name__} with {filters or 'anything'}")
    return found


def _meeting() -> Any:
    from governance.models import Attendance

    return _first(Attendance).meeting


def _published_meeting() -> Any:
    from governance.models import Meeting, Minutes

    return _first(Meeting, minutes__status=Minutes.Status.PUBLISHED)


def _attendance() -> dict[str, Any]:
    from governance.models import Attendance

    row = _first(Attendance)
    return {"pk": row.meeting_id, "row_pk": row.pk}


def _subgroup() -> Any:
    from governance.models import PartnershipGroup

    return _first(PartnershipGroup, kind=PartnershipGroup.Kind.SUBGROUP)


def _group() -> Any:
    from governance.models import PartnershipGroup

    return _first(PartnershipGroup)


def _action() -> Any:
    from governance.models import Action

    return _first(Action)


def _recommendation() -> Any:
    from crest.models import Recommendation

    return _first(Recommendation, archived_at__isnull=True)


def _linked() -> dict[str, Any]:
    from crest.models import Recommendation

    recommendation = _first(Recommendation, actions__isnull=False)
    return {"number": recommendation.number, "reference": recommendation.actions.order_by("pk")[0].reference}


def _evidence() -> dict[str, Any]:
    from crest.models import EvidenceFile

    evidence = _first(EvidenceFile)
    return {"number": evidence.recommendation.number, "pk": evidence.pk}


def _model(dotted: str) -> Any:
    from django.apps import apps

    return apps.get_model(dotted)


def _pk(dotted: str, **filters: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"pk": _first(_model(dotted), **filters).pk}


def _meeting_pk() -> dict[str, Any]:
    return {"pk": _meeting().pk}


def _agenda_item() -> dict[str, Any]:
    item = _first(_model("governance.AgendaItem"))
    return {"pk": item.meeting_id, "item_pk": item.pk}


def _number() -> dict[str, Any]:
    return {"number": _recommendation().number}


def _period_slug() -> dict[str, Any]:
    return {"slug": _first(_model("performance.Period")).slug}


def _measure_code() -> dict[str, Any]:
    return {"code": _first(_model("performance.Measure"), archived_at__isnull=True).code}


def _report() -> dict[str, Any]:
    report_file = _first(_model("performance.ReportFile"))
    version = report_file.version
    return {"slug": version.report.slug, "number": version.number, "kind": report_file.kind}


def _report_slug() -> dict[str, Any]:
    return {"slug": _report()["slug"]}


def _report_version() -> dict[str, Any]:
    sample = _report()
    return {"slug": sample["slug"], "number": sample["number"]}


MEETING_ROUTES = [
    "meeting",
    "meeting_edit",
    "agenda",
    "agenda_item_add",
    "paper_add",
    "attendance",
    "attendance_guest",
    "my_attendance",
    "declaration_add",
    "decision_add",
    "action_add",
    "minutes_edit",
    "minutes_approve",
    "minutes_publish",
    "meeting_pack",
    "meeting_pack_pdf",
]

SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    **{f"governance:{name}": _meeting_pk for name in MEETING_ROUTES},
    "governance:attendance_row": _attendance,
    **{
        f"governance:{name}": _agenda_item
        for name in ("agenda_item_edit", "agenda_item_delete", "agenda_item_move")
    },
    "governance:calendar_group": lambda: {"slug": _group().slug},
    "governance:paper_download": _pk("governance.Paper"),
    "governance:update_submit": lambda: {"slug": _subgroup().slug},
    "governance:action": lambda: {"reference": _action().reference},
    "governance:action_update": lambda: {"reference": _action().reference},
    "governance:action_edit": lambda: {"reference": _action().reference},
    "governance:published_meeting": lambda: {"pk": _published_meeting().pk},
    "governance:organisation": lambda: {"slug": _first(_model("governance.Organisation")).slug},
    "governance:tenure_end": _pk("governance.Membership"),
    "governance:person_invite": _pk("governance.Person"),
    # A link that does not work: the page that says so (a working one is tested in tests/core and browser).
    "password_reset_confirm": lambda: {"uidb64": "MQ", "token": "set-password"},
    "invitation_accept": lambda: {"uidb64": "MQ", "token": "choose-password"},
    **{
        f"crest:{name}": _number
        for name in [
            "detail",
            "edit",
            "record_progress",
            "link_action",
            "toc_links",
            "upload_evidence",
            "mark_achieved",
        ]
    },
    "crest:unlink_action": _linked,
    "crest:download_evidence": _evidence,
    "performance:measure": _measure_code,
    "performance:period_lock": _period_slug,
    "performance:correct": _pk("performance.Figure"),
    "performance:survey_answer": _pk("performance.SurveyInvitation"),
    "performance:survey_close": _pk("performance.SurveyRound"),
    "performance:report": _report_slug,
    "performance:report_regenerate": _report_slug,
    "performance:report_correct": _report_slug,
    "performance:report_submit": _report_version,
    "performance:report_download": _report,
    "performance:report_sources": _report_version,
    "performance:report_figure_sources": lambda: {**_report_version(), "row": 1},
    "duty:document_file": _pk("duty.DutyDocument"),
    "duty:document_approve": _pk("duty.DutyDocument", status="draft"),
    "duty:priority_add": _pk("duty.DutyDocument", kind="response_strategy"),
    "duty:published_file": _pk("duty.DutyDocument", status="approved"),
    "duty:dissemination_record": lambda: {"version": _first(_model("duty.Concordat")).version},
    "duty:concordat_chase": lambda: {"version": _first(_model("duty.Concordat")).version},
    "duty:dissemination_acknowledge": _pk("duty.Dissemination", acknowledged_on__isnull=True),
    "duty:milestone_add": lambda: {"plan_pk": _first(_model("duty.DeliveryPlan")).pk},
    "duty:milestone_edit": lambda: {
        "plan_pk": (milestone := _first(_model("duty.Milestone"))).plan_id,
        "pk": milestone.pk,
    },
    "api:token_revoke": _pk("api.ApiToken"),
    "api:meeting-detail": _meeting_pk,
    "api:action-detail": lambda: {"reference": _action().reference},
    "api:outcome-detail": lambda: {"code": _first(_model("performance.Outcome")).code},
    "api:measure-detail": _measure_code,
    "api:period-detail": _period_slug,
    "api:figure-detail": _pk("performance.Figure"),
    "api:recommendation-detail": lambda: {"pk": _recommendation().pk},
}


def routes() -> list[tuple[str, list[str]]]:
    """Every named route of the portal with the names of its parameters, admin and the like left out."""
    found: list[tuple[str, list[str]]] = []

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if inner not in SKIPPED_NAMESPACES:
                    walk(entry, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                params = list(entry.pattern.regex.groupindex)
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if "format" in params or entry.name in SKIPPED_ROUTES:
                    continue
                if (name, params) not in found:
                    found.append((name, params))

    walk(get_resolver(), None)
    return found


def every_page() -> dict[str, str]:
    """Route name -> an address of it, filled in from the data in the database."""
    pages: dict[str, str] = {}
    missing: list[str] = []
    for name, params in routes():
        if not params:
            pages[name] = reverse(name)
            continue
        sample = SAMPLES.get(name)
        if sample is None:
            missing.append(f"{name} ({', '.join(params)})")
            continue
        pages[name] = reverse(name, kwargs=sample())
    if missing:
        raise AssertionError(
            "The crawl cannot fill in these addresses; add a sample to tests/security/pages.py: "
            + "; ".join(missing)
        )
    return pages
