"""Checks on uploaded meeting papers: the type is read from the content, not trusted from the name.

A stop-gap until ``core.uploads`` (the security work) lands on main; the rules are the same:
PDF, DOCX, XLSX or PPTX up to ``settings.SVRP_UPLOAD_MAX_BYTES``, sniffed with ``filetype`` and, for
the Office formats (all ZIP containers), confirmed by the folder names inside the archive.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Extension -> (sniffed MIME types accepted, folder an Office archive must contain)
ALLOWED: dict[str, tuple[frozenset[str], str | None]] = {
    "pdf": (frozenset({"application/pdf"}), None),
    "docx": (
        frozenset(
            {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/zip",
            }
        ),
        "word/",
    ),
    "xlsx": (
        frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}),
        "xl/",
    ),
    "pptx": (
        frozenset(
            {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/zip",
            }
        ),
        "ppt/",
    ),
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def validate_upload(upload: UploadedFile) -> str:
    """Return the file's type (``pdf``, ``docx``, ``xlsx`` or ``pptx``) or raise ``ValidationError``."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED:
        raise ValidationError(_("The selected file must be a PDF, DOCX, XLSX or PPTX."), code="type")
    limit = settings.SVRP_UPLOAD_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationError(
            _("The selected file must be smaller than %(limit)s.") % {"limit": filesizeformat(limit)},
            code="size",
        )
    if not upload.size:
        raise ValidationError(_("The selected file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mimes, folder = ALLOWED[extension]
    if kind is None or kind.mime not in mimes:
        raise ValidationError(
            _("The selected file is not a real %(type)s: its content does not match its name.")
            % {"type": extension.upper()},
            code="mismatch",
        )
    if folder is not None:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = []
        finally:
            upload.seek(0)
        if not any(n.startswith(folder) for n in names):
            raise ValidationError(
                _("The selected file is not a real %(type)s: its content does not match its name.")
                % {"type": extension.upper()},
                code="mismatch",
            )
    return extension
