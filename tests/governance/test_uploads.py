from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from governance.uploads import validate_upload

from .uploads import PDF_BYTES, docx, office_bytes, pdf


@pytest.mark.parametrize(
    ("upload", "kind"),
    [
        (pdf(), "pdf"),
        (docx(), "docx"),
        (SimpleUploadedFile("figures.XLSX", office_bytes("xl/")), "xlsx"),
        (SimpleUploadedFile("slides.pptx", office_bytes("ppt/")), "pptx"),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(upload, kind):
    assert validate_upload(upload) == kind


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.txt", b"hello"), "must be a PDF, DOCX, XLSX or PPTX"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 an executable"), "not a real PDF"),
        (SimpleUploadedFile("fake.docx", PDF_BYTES), "not a real DOCX"),
        (SimpleUploadedFile("sheet.docx", office_bytes("xl/")), "not a real DOCX"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(upload, message):
    with pytest.raises(ValidationError, match=message):
        validate_upload(upload)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.SVRP_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="smaller than 100"):
        validate_upload(SimpleUploadedFile("big.pdf", PDF_BYTES + b" " * 100))
