from __future__ import annotations

import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from openpyxl import Workbook

from core.uploads import UploadField, UploadValidator, safe_upload_name, serve_upload, validate_upload

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def office(kind: str) -> bytes:
    """A minimal Office Open XML container of the given kind, as Word, Excel or PowerPoint write."""
    if kind == "xlsx":
        buffer = io.BytesIO()
        Workbook().save(buffer)
        return buffer.getvalue()
    folder, main = {
        "docx": ("word", "wordprocessingml.document.main+xml"),
        "pptx": ("ppt", "presentationml.presentation.main+xml"),
    }[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/{folder}/main.xml" '
            f'ContentType="application/vnd.openxmlformats-officedocument.{main}"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/main.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Minutes March.pdf", PDF, "pdf"),
        ("Paper.docx", office("docx"), "docx"),
        ("Figures Q1.XLSX", office("xlsx"), "xlsx"),
        ("Slides.pptx", office("pptx"), "pptx"),
    ],
)
def test_real_documents_are_accepted_and_their_type_returned(name, content, expected):
    assert validate_upload(upload(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
        ),  # a Windows program
        ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("figures.xlsx", office("docx")),
        ("paper.docx", office("pptx")),
        ("paper.docx", PDF),
        ("archive.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_rejected(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content))
    assert error.value.code == "disguised"
    assert "whatever its name says" in error.value.messages[0]


def test_a_type_not_on_the_list_is_rejected_with_the_list_in_plain_words():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("tool.exe", b"MZ" + b"\x00" * 100))
    assert error.value.messages == ["The selected file must be in PDF, DOCX, XLSX or PPTX format"]


def test_an_empty_file_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("empty.pdf", b""))
    assert error.value.messages == ["The selected file is empty"]


def test_a_file_over_the_limit_is_rejected_naming_the_limit(settings):
    settings.SVRP_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    big = upload("big.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_upload(big)
    assert error.value.messages == ["The selected file must be smaller than 20 MB"]


def test_a_narrower_allow_list_is_honoured():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("minutes.pdf", PDF), allowed={"xlsx"})
    assert error.value.messages == ["The selected file must be in XLSX format"]


def test_stored_names_are_random_and_keep_only_the_extension():
    first = safe_upload_name(None, "../../etc/Board minutes <March>.PDF")
    second = safe_upload_name(None, "../../etc/Board minutes <March>.PDF")
    assert first != second
    assert first.endswith(".pdf") and ".." not in first and "minutes" not in first
    assert safe_upload_name(None, "no-extension").endswith(".bin")


def test_a_download_is_an_attachment_with_the_right_type_and_no_sniffing(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save(safe_upload_name(None, "x.pdf"), io.BytesIO(PDF))
    field = FileField(storage=storage)
    response = serve_upload(FieldFile(None, field, name), "Minutes of 2 March.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Minutes of 2 March.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    response.file_to_stream.close()


def test_a_download_name_cannot_carry_a_path_or_another_type(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save(safe_upload_name(None, "x.xlsx"), io.BytesIO(office("xlsx")))
    response = serve_upload(FieldFile(None, FileField(storage=storage), name), "../../evil.html")
    assert 'filename="evil.html.xlsx"' in response["Content-Disposition"]
    response.file_to_stream.close()


class PaperForm(forms.Form):
    paper = UploadField(label="Paper")
    figures = forms.FileField(required=False, validators=[UploadValidator({"xlsx"})])


def test_the_form_field_shows_the_error_on_the_field():
    form = PaperForm(data={}, files={"paper": upload("paper.pdf", b"<html></html>")})
    assert not form.is_valid()
    assert "whatever its name says" in form.errors["paper"][0]
    form = PaperForm(data={}, files={"paper": upload("paper.pdf", PDF)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["paper"].sniffed_extension == "pdf"


def test_the_validator_works_on_any_file_field():
    form = PaperForm(
        data={}, files={"paper": upload("p.pdf", PDF), "figures": upload("f.xlsx", office("docx"))}
    )
    assert not form.is_valid()
    assert "figures" in form.errors
