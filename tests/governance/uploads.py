"""Real files of each accepted type, made in memory, and impostors."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def office_bytes(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        main = {"word/": "wordprocessingml.document", "xl/": "spreadsheetml.sheet"}.get(folder, "x")
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            f'{main}.main+xml"/></Types>',
        )
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def pdf(name: str = "paper.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def docx(name: str = "paper.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, office_bytes("word/"), content_type="application/octet-stream")
