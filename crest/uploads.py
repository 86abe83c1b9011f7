"""Evidence uploads: checked by what the bytes are, served only as permission-checked downloads.

A stop-gap with the same signatures as the shared ``core.uploads`` (security issue) so that switching
is a change of import: ``validate_upload(file, allowed=..., max_bytes=...) -> extension`` and
``serve_upload(fieldfile, download_name)``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _

DEFAULT_ALLOWED: frozenset[str] = frozenset({"pdf", "docx", "xlsx", "pptx"})

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# Office Open XML files are ZIP containers: the folder of the main part names the format.
_OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def _ooxml_kind(file: Any) -> str | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    kinds = {kind for folder, kind in _OOXML_FOLDERS.items() if any(n.startswith(folder) for n in names)}
    return kinds.pop() if len(kinds) == 1 else None


def sniff(file: Any) -> str | None:
    """The extension the bytes say, whatever the name says."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension in {"zip", "docx", "xlsx", "pptx"}:
        return _ooxml_kind(file) or "zip"
    return str(kind.extension)


def _human_list(names: Iterable[str]) -> str:
    upper = [name.upper() for name in sorted(names)]
    return upper[0] if len(upper) == 1 else ", ".join(upper[:-1]) + " " + _("or") + " " + upper[-1]


def validate_upload(
    file: Any, *, allowed: Iterable[str] = DEFAULT_ALLOWED, max_bytes: int | None = None
) -> str:
    """Check an uploaded file and return its sniffed extension; raise ``ValidationError`` if unfit."""
    limit = settings.SVRP_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    allowed = {ext.lower() for ext in allowed}
    size = getattr(file, "size", 0) or 0
    if size == 0:
        raise ValidationError(_("The selected file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s MB.") % {"size": f"{limit / 1048576:g}"},
            code="too_big",
        )
    claimed = PurePath(getattr(file, "name", "") or "").suffix.lower().lstrip(".")
    if claimed not in allowed:
        raise ValidationError(
            _("The selected file must be a %(types)s.") % {"types": _human_list(allowed)}, code="type"
        )
    if sniff(file) != claimed:
        raise ValidationError(
            _("The contents of the selected file are not %(claimed)s, whatever its name says.")
            % {"claimed": claimed.upper()},
            code="disguised",
        )
    return claimed


def serve_upload(fieldfile: FieldFile, download_name: str) -> FileResponse:
    """Stream a stored upload as a download. Call only after the view has checked permission."""
    extension = PurePath(fieldfile.name or "").suffix.lower().lstrip(".")
    safe_name = PurePath(download_name.replace("\\", "/")).name or f"evidence.{extension}"
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=True,
        filename=safe_name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
