"""A paper's text is read on upload by a Celery task (eager in tests) and found by search; a broken,
hostile or oversized file is quietly left without text."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from governance.models import Paper
from search import extract
from search.models import ExtractedText
from search.selectors import search
from tests.governance.factories import MeetingFactory

pytestmark = pytest.mark.django_db

DOCX_TYPES = (
    '<Types><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def pdf_bytes(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()  # type: ignore[no-any-return]


def docx_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="x"><w:body><w:p><w:r><w:t xml:space="preserve">'
            f"{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx_bytes(text: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = text
    sheet["B2"] = 42
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(meeting, data: bytes, file_type: str, title: str = "Quarterly paper") -> Paper:
    return Paper.objects.create(
        meeting=meeting,
        title=title,
        file=ContentFile(data, name=f"paper.{file_type}"),
        original_name=f"paper.{file_type}",
        file_type=file_type,
        size=len(data),
    )


@pytest.mark.parametrize(
    ("file_type", "make"), [("pdf", pdf_bytes), ("docx", docx_bytes), ("xlsx", xlsx_bytes)]
)
def test_an_uploaded_papers_text_is_found(
    svrp, vru_staff, django_capture_on_commit_callbacks, file_type, make
):
    meeting = MeetingFactory(group=svrp.group)
    with django_capture_on_commit_callbacks(execute=True):
        paper = upload(meeting, make("The okapi &amp; gazelle census"), file_type)
    assert "okapi" in ExtractedText.objects.get(kind="paper", object_id=paper.pk).text.lower()
    found = list(search(vru_staff, "okapi gazelle"))
    assert [(e.kind, e.object_id) for e in found] == [("paper", paper.pk)]


def test_xml_entities_are_read_as_text(svrp):
    assert "okapi & gazelle" in extract.extract_text(io.BytesIO(docx_bytes("okapi &amp; gazelle")), "docx")


@pytest.mark.parametrize(
    ("data", "file_type"),
    [
        (b"%PDF-1.4\nnot really a pdf", "pdf"),
        (b"PK\x03\x04broken zip", "docx"),
        (b"not a zip at all", "xlsx"),
        (b"", "pdf"),
        (b"\x00" * 1000, "pptx"),
    ],
)
def test_a_broken_file_gives_no_text_and_no_error(svrp, django_capture_on_commit_callbacks, data, file_type):
    meeting = MeetingFactory(group=svrp.group)
    with django_capture_on_commit_callbacks(execute=True):
        paper = upload(meeting, data, file_type)
    assert ExtractedText.objects.get(kind="paper", object_id=paper.pk).text == ""


def test_an_oversized_file_is_not_read(svrp, monkeypatch):
    monkeypatch.setattr(extract, "MAX_FILE_BYTES", 100)
    assert extract.extract_text(io.BytesIO(docx_bytes("okapi " * 2000)), "docx") == ""


def test_a_zip_bomb_is_read_only_so_far(monkeypatch):
    monkeypatch.setattr(extract, "MAX_XML_BYTES", 64 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:t>okapi</w:t>" + " " * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    assert extract.extract_text(io.BytesIO(buffer.getvalue()), "docx") == "okapi"


def test_text_stops_at_the_cap(monkeypatch):
    monkeypatch.setattr(extract, "MAX_CHARS", 50)
    text = extract.extract_text(io.BytesIO(docx_bytes("okapi " * 1000)), "docx")
    assert len(text) == 50


def test_a_replaced_file_is_read_again_and_its_old_text_is_no_longer_found(
    svrp, vru_staff, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(group=svrp.group)
    with django_capture_on_commit_callbacks(execute=True):
        paper = upload(meeting, docx_bytes("The okapi census"), "docx")
    assert [e.object_id for e in search(vru_staff, "okapi")] == [paper.pk]
    with django_capture_on_commit_callbacks(execute=True):
        paper.file = ContentFile(docx_bytes("The pangolin census"), name="paper.docx")
        paper.save()
    assert list(search(vru_staff, "okapi")) == []
    assert [e.object_id for e in search(vru_staff, "pangolin")] == [paper.pk]
