"""The meeting pack: one page and one PDF, with sections other apps add.

The pack holds the agenda, the last meeting's approved minutes, each sub-group's update, the action
log and the list of papers; the PDF (``build_pack_pdf``) adds a cover and merges the PDF papers in
after it, each with an outline entry, with page numbers running through the whole file.

Other apps add sections to the ``core.hooks.PACK_SECTIONS`` extension point: functions
``section(meeting, request) -> PackSection | None``; the pack shows each section that returns one, in
order, after the governance sections. The performance app adds its
"performance summary" here. A section keeps its query count fixed and must render without network
access (the PDF renderer, ``core.pdf``, fetches nothing but the portal's static files).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core import hooks
from core.pdf import BASE_URL, static_only_fetcher

from .models import AgendaItem, Decision, DeclarationOfInterest, Meeting, MinuteEntry, Minutes, Paper

logger = logging.getLogger(__name__)


@dataclass
class PackSection:
    title: str
    template: str  # under templates/<app>/partials/; receives ``section`` (this object's context)
    context: dict[str, Any] = field(default_factory=dict)


def sections_for(meeting: Meeting, request: HttpRequest | None) -> list[PackSection]:
    found = []
    provider: Callable[[Meeting, HttpRequest | None], PackSection | None]
    for provider in hooks.get_hooks(hooks.PACK_SECTIONS):
        section = provider(meeting, request)
        if section is not None:
            found.append(section)
    return found


# --- The pack as one PDF: the rendered pack, then each PDF paper merged in ----------------------

# A paper longer than this is listed with a link rather than merged: the pack stays a readable size.
MAX_MERGED_PAGES = 300
A4_WIDTH_PT = 595.28


@dataclass
class PackPaper:
    """A paper as the pack shows it: merged at ``start`` (a page of the whole pack), or listed with
    a link and, for a PDF that could not be merged, the reason in ``note``."""

    paper: Paper
    url: str
    pdf: bytes | None = None
    pages: int = 0
    start: int | None = None
    note: str = ""

    @property
    def merged(self) -> bool:
        return self.pdf is not None


@dataclass
class PreviousMinutes:
    """The last meeting of the same group before this one, and its minutes if they are approved."""

    meeting: Meeting
    minutes: Minutes | None
    minute_entries: list[tuple[AgendaItem, MinuteEntry | None]] = field(default_factory=list)
    declarations: list[DeclarationOfInterest] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


MINUTES_ITEM = re.compile(r"\bminutes\b.*\b(last|previous)\b", re.IGNORECASE)


def is_minutes_item(item: AgendaItem) -> bool:
    """The agenda's "minutes of the last meeting" item, by its title."""
    return bool(MINUTES_ITEM.search(item.title))


def previous_minutes(meeting: Meeting) -> PreviousMinutes | None:
    """The group's last meeting before this one (not a cancelled one), with its approved minutes.

    Draft minutes are never put in a pack: they are for staff and the group's members until approved.
    """
    previous = (
        Meeting.objects.filter(group_id=meeting.group_id, date__lt=meeting.date)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("group", "minutes")
        .order_by("-date", "-start_time")
        .first()
    )
    if previous is None:
        return None
    minutes: Minutes | None = getattr(previous, "minutes", None)
    if minutes is None or minutes.status == Minutes.Status.DRAFT:
        return PreviousMinutes(meeting=previous, minutes=None)
    entries = {e.agenda_item_id: e for e in minutes.entries.all()}
    items = list(previous.agenda_items.all())
    return PreviousMinutes(
        meeting=previous,
        minutes=minutes,
        minute_entries=[(item, entries.get(item.pk)) for item in items],
        declarations=list(previous.declarations.select_related("person__organisation", "agenda_item")),
        decisions=list(previous.decisions.select_related("agenda_item")),
    )


def pack_papers(meeting: Meeting, *, confidential: bool, url: Callable[[Paper], str]) -> list[PackPaper]:
    """The papers a reader of the pack may see, in agenda order (papers under no item last)."""
    papers = meeting.papers.select_related("agenda_item")
    if not confidential:
        papers = papers.filter(confidential=False)
    ordered = sorted(
        papers,
        key=lambda p: (p.agenda_item is None, p.agenda_item.order if p.agenda_item else 0, p.title, p.pk),
    )
    return [PackPaper(paper=paper, url=url(paper)) for paper in ordered]


def _readable_pdf(paper: Paper) -> tuple[bytes | None, int, str]:
    """A clean copy of an uploaded PDF's pages, or None and why not.

    Uploads are hostile (core.uploads checks only what a file claims to be): a damaged, encrypted or
    booby-trapped PDF must cost the pack one note, never the whole pack. The pages are copied into a
    new file, without the document's scripts or page actions, and read back once before use.
    """
    from pypdf import PdfReader, PdfWriter

    try:
        with paper.file.open("rb") as handle:
            data = handle.read()
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None, 0, _("it is protected by a password")
        count = len(reader.pages)
        if count == 0:
            return None, 0, _("it has no pages")
        if count > MAX_MERGED_PAGES:
            return None, 0, _("it is longer than %(n)s pages") % {"n": MAX_MERGED_PAGES}
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            added.pop("/AA", None)  # page open and close actions
            added.transfer_rotation_to_content()  # so the page number lands at the foot as read
        buffer = io.BytesIO()
        writer.write(buffer)
        copy = buffer.getvalue()
        if len(PdfReader(io.BytesIO(copy)).pages) != count:
            raise ValueError("pages lost in the copy")
        return copy, count, ""
    except Exception:  # any failure of a hostile file: note it, build the rest of the pack
        logger.warning("Paper %s could not be merged into the meeting pack.", paper.pk, exc_info=True)
        return None, 0, _("the file is damaged or not a PDF the portal can read")


def _number_pages(total: int) -> Any:
    """A PdfReader of ``total`` A4 pages, blank but for "Page n of total" at the foot: stamped onto
    every page of the pack, the merged papers' included, so the numbers run through the whole file."""
    import weasyprint
    from pypdf import PdfReader

    html = render_to_string(
        "governance/pack_page_numbers.html", {"pages": range(1, total + 1), "total": total}
    )
    data = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).write_pdf()
    return PdfReader(io.BytesIO(data))


def build_pack_pdf(template: str, context: dict[str, Any], request: HttpRequest | None) -> bytes:
    """The pack PDF: the rendered pack (cover, agenda, minutes, updates, actions, the list of papers),
    then each PDF paper that can be read, each with an outline entry, and page numbers throughout.

    ``context["papers"]`` holds the ``PackPaper`` list; the list of papers in the pack names the page
    each merged paper starts on, so the pack is laid out again until its own length settles.
    """
    import weasyprint
    from pypdf import PdfReader, PdfWriter, Transformation

    papers: list[PackPaper] = context["papers"]
    for item in papers:
        if item.paper.file_type == "pdf":
            item.pdf, item.pages, item.note = _readable_pdf(item.paper)
    merged = [item for item in papers if item.merged]

    def layout(total: int | None) -> Any:
        html = render_to_string(template, {**context, "total_pages": total}, request=request)
        return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher()).render()

    document = layout(None)
    for _attempt in range(3):
        own = len(document.pages)
        start = own + 1
        for item in merged:
            item.start, start = start, start + item.pages
        document = layout(start - 1)
        if len(document.pages) == own:
            break
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(document.write_pdf())), import_outline=True)
    firsts = []
    for item in merged:
        assert item.pdf is not None
        firsts.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(item.pdf)), import_outline=False)
    if merged:
        parent = writer.add_outline_item(title=_("Merged papers"), page_number=firsts[0])
        for item, first in zip(merged, firsts, strict=True):
            writer.add_outline_item(title=item.paper.title, page_number=first, parent=parent)
    total = len(writer.pages)
    numbers = _number_pages(total)
    for index, page in enumerate(writer.pages):
        try:
            box = page.mediabox
            page.merge_transformed_page(
                numbers.pages[index],
                Transformation().translate(float(box.right) - A4_WIDTH_PT, float(box.bottom)),
            )
        except Exception:  # a paper's page that will not take the stamp keeps its own look
            logger.warning("Page %s of a meeting pack could not be numbered.", index + 1, exc_info=True)
    writer.add_metadata({"/Title": str(context.get("title", ""))})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
