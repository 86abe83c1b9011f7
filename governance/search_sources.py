"""What governance offers to the portal's search (``core.hooks.SEARCH_SOURCES``, ``core.search``).

Meetings, agenda items, papers, minutes, decisions, actions, people and organisations. Who may see
each is the rule of the page it opens, from ``governance.permissions``: every signed-in user sees
meetings, agenda items, actions and the registers; confidential papers only those who
``can_see_confidential``; draft minutes and decisions only those who ``can_see_drafts`` (the
``drafts_visible_filter`` form of that rule). Contact details are never indexed: not every role sees
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import hooks
from core.search import SearchDocument, SearchSource

from . import permissions as perms
from .models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
    MinuteEntry,
    Minutes,
    Organisation,
    Paper,
    Person,
)


def _only(qs: QuerySet[Any], ids: Iterable[int] | None) -> QuerySet[Any]:
    return qs if ids is None else qs.filter(pk__in=list(ids))


def _signed_in(user: Any) -> Q | None:
    return Q() if perms.can_read_register(user) else None


def _drafts(user: Any) -> Q | None:
    """Minutes and decisions: shown once approved, before that to whom ``can_see_drafts``."""
    if not user.is_authenticated:
        return None
    drafts = perms.drafts_visible_filter(user, group="group_id", date="date")
    return drafts if drafts == Q() else Q(draft=False) | drafts


def _papers(user: Any) -> Q | None:
    if not user.is_authenticated:
        return None
    return Q() if perms.can_see_confidential(user) else Q(confidential=False)


def meetings(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    for meeting in _only(Meeting.objects.select_related("group"), ids):
        yield SearchDocument(
            kind="meeting",
            object_id=meeting.pk,
            title=str(meeting),
            body=" ".join([meeting.group.name, meeting.group.short_name, meeting.location]),
            url=meeting.get_absolute_url(),
            date=meeting.date,
            group_id=meeting.group_id,
        )


def agenda_items(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    for item in _only(AgendaItem.objects.select_related("meeting__group"), ids):
        yield SearchDocument(
            kind="agenda_item",
            object_id=item.pk,
            title=item.title,
            body=f"{item.description} {item.meeting}",
            url=item.meeting.get_absolute_url(),
            date=item.meeting.date,
            group_id=item.meeting.group_id,
        )


def papers(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    for paper in _only(Paper.objects.select_related("meeting__group"), ids):
        yield SearchDocument(
            kind="paper",
            object_id=paper.pk,
            title=paper.title,
            body=str(paper.meeting),
            url=reverse("governance:paper_download", args=[paper.pk]),
            date=paper.meeting.date,
            group_id=paper.meeting.group_id,
            confidential=paper.confidential,
        )


def paper_file(object_id: int) -> tuple[Any, str] | None:
    paper = Paper.objects.filter(pk=object_id).first()
    return None if paper is None or not paper.file else (paper.file, paper.file_type)


def minutes(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    qs = _only(Minutes.objects.select_related("meeting__group").prefetch_related("entries"), ids)
    for record in qs:
        meeting = record.meeting
        yield SearchDocument(
            kind="minutes",
            object_id=record.pk,
            title=str(_("Minutes of %(meeting)s") % {"meeting": meeting}),
            body=" ".join([record.summary, *(entry.text for entry in record.entries.all())]),
            url=meeting.get_absolute_url(),
            date=meeting.date,
            group_id=meeting.group_id,
            draft=record.status == Minutes.Status.DRAFT,
        )


def decisions(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    qs = _only(Decision.objects.select_related("meeting__group", "meeting__minutes"), ids)
    for decision in qs:
        meeting = decision.meeting
        record = getattr(meeting, "minutes", None)
        yield SearchDocument(
            kind="decision",
            object_id=decision.pk,
            title=f"{decision.reference} {meeting}",
            body=decision.text,
            url=meeting.get_absolute_url(),
            date=meeting.date,
            group_id=meeting.group_id,
            # As minutes_visible: shown once the minutes are past draft.
            draft=record is None or record.status == Minutes.Status.DRAFT,
        )


def actions(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    for action in _only(Action.objects.select_related("owner", "organisation"), ids):
        yield SearchDocument(
            kind="action",
            object_id=action.pk,
            title=action.reference,
            body=f"{action.description} {action.owner.full_name} {action.organisation.name}",
            url=action.get_absolute_url(),
            date=action.raised_on,
        )


def people(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    qs = _only(Person.objects.filter(archived_at__isnull=True).select_related("organisation"), ids)
    for person in qs:
        yield SearchDocument(
            kind="person",
            object_id=person.pk,
            title=person.full_name,
            body=f"{person.job_title} {person.organisation.name}",
            url=person.organisation.get_absolute_url(),
        )


def organisations(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    for organisation in _only(Organisation.objects.filter(archived_at__isnull=True), ids):
        yield SearchDocument(
            kind="organisation",
            object_id=organisation.pk,
            title=organisation.name,
            body=f"{organisation.short_name} {organisation.tor_description}",
            url=organisation.get_absolute_url(),
        )


def _pks(qs: QuerySet[Any]) -> list[int]:
    return list(qs.values_list("pk", flat=True))


@hooks.register(hooks.SEARCH_SOURCES, order=-10)
def search_sources() -> list[SearchSource]:
    return [
        SearchSource(
            "meeting",
            _("Meetings"),
            meetings,
            _signed_in,
            triggers={Meeting: lambda m: [m.pk]},
        ),
        SearchSource(
            "agenda_item",
            _("Agenda items"),
            agenda_items,
            _signed_in,
            triggers={
                AgendaItem: lambda i: [i.pk],
                Meeting: lambda m: _pks(AgendaItem.objects.filter(meeting_id=m.pk)),
            },
        ),
        SearchSource(
            "paper",
            _("Papers"),
            papers,
            _papers,
            triggers={
                Paper: lambda p: [p.pk],
                Meeting: lambda m: _pks(Paper.objects.filter(meeting_id=m.pk)),
            },
            attachment=paper_file,
        ),
        SearchSource(
            "minutes",
            _("Minutes"),
            minutes,
            _drafts,
            triggers={
                Minutes: lambda r: [r.pk],
                MinuteEntry: lambda e: [e.minutes_id],
                Meeting: lambda m: _pks(Minutes.objects.filter(meeting_id=m.pk)),
            },
        ),
        SearchSource(
            "decision",
            _("Decisions"),
            decisions,
            _drafts,
            triggers={
                Decision: lambda d: [d.pk],
                Minutes: lambda r: _pks(Decision.objects.filter(meeting_id=r.meeting_id)),
                Meeting: lambda m: _pks(Decision.objects.filter(meeting_id=m.pk)),
            },
        ),
        SearchSource("action", _("Actions"), actions, _signed_in, triggers={Action: lambda a: [a.pk]}),
        SearchSource("person", _("People"), people, _signed_in, triggers={Person: lambda p: [p.pk]}),
        SearchSource(
            "organisation",
            _("Organisations"),
            organisations,
            _signed_in,
            triggers={Organisation: lambda o: [o.pk]},
        ),
    ]
