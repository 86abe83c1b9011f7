"""Uploads, checked by what the bytes are, stored under names no one can guess, served as downloads.

Other apps call these:

- ``validate_upload(file, allowed=..., max_bytes=...)`` in a form's ``clean_<field>`` (or use
  ``UploadField`` / ``UploadValidator``), before anything is saved;
- ``safe_upload_name`` as a ``FileField``'s ``upload_to``;
- ``serve_upload(fieldfile, download_name)`` from a view that has already checked permission.
"""

from __future__ import annotations

import mimetypes
import re
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_ALLOWED: frozenset[str] = frozenset({"pdf", "docx", "xlsx", "pptx"})

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
}

# The folder that holds the main part of each Office Open XML format, inside its ZIP container.
_OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_OOXML_MAIN_TYPES = {
    "wordprocessingml.document.main": "docx",
    "spreadsheetml.sheet.main": "xlsx",
    "presentationml.presentation.main": "pptx",
}
# Extensions that name the same format.
_ALIASES = {"jpeg": "jpg"}


_ORDER = ("pdf", "docx", "xlsx", "pptx", "csv")


def _human_list(names: Iterable[str]) -> str:
    ordered = sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else len(_ORDER), n))
    upper = [name.upper() for name in ordered]
    if len(upper) == 1:
        return upper[0]
    return ", ".join(upper[:-1]) + " " + _("or") + " " + upper[-1]


def _human_size(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else f"{size // 1024} KB"


# A ZIP container (every Office file) is opened only if what it would expand to is bounded: the sizes
# its directory declares are checked before any part is decompressed, and zipfile never decompresses
# more than a part's declared size. Real documents compress text about ten times; images not at all.
MAX_ZIP_ENTRIES = 5_000
MAX_COMPRESSION_RATIO = 100
# The ratio is not held against small parts: a few kilobytes of repeated XML compress very well.
_RATIO_FLOOR = 1024 * 1024


class _Bomb(Exception):
    pass


class _Damaged(Exception):
    pass


def _check_zip(archive: zipfile.ZipFile) -> None:
    """Raise _Bomb when the container would expand beyond the limits, _Damaged when a part is not
    what the container's directory says it is.

    The declared sizes are checked first; then every part is decompressed in small chunks and thrown
    away, which proves each part's real size and checksum equal the declared ones (zipfile stops a
    part at its declared size and checks its CRC). A forged directory cannot then make a later reader,
    which may read a part whole, decompress more than was checked.
    """
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _Bomb
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > _RATIO_FLOOR and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise _Bomb
    if total > settings.SVRP_UPLOAD_MAX_UNCOMPRESSED_BYTES:
        raise _Bomb
    for entry in entries:
        try:
            with archive.open(entry) as part:
                while part.read(64 * 1024):
                    pass
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, OSError, ValueError) as e:
            raise _Damaged from e


def _ooxml_kind(file: Any) -> str | None:
    """docx, xlsx or pptx from the ZIP's [Content_Types].xml and folder names; None if neither.

    Raises _Bomb or _Damaged (see ``_check_zip``).
    """
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            _check_zip(archive)
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(200_000).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError):
        return None
    finally:
        file.seek(0)
    kinds = {kind for marker, kind in _OOXML_MAIN_TYPES.items() if marker in content_types}
    kinds &= {kind for folder, kind in _OOXML_FOLDERS.items() if any(n.startswith(folder) for n in names)}
    return kinds.pop() if len(kinds) == 1 else None


# Names in a PDF that run a script or a program. A name can spell a character as "#xx" (/J#61vaScript),
# so names are decoded before they are compared. (An /OpenAction that only sets the first view, which
# Word writes, is not refused; one that runs a script names /JavaScript.)
_PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch"})
_PDF_NAME = re.compile(rb"/((?:[A-Za-z0-9]|#[0-9A-Fa-f]{2}){2,40})")


# A stream's bytes (images, fonts, compressed content) are data, not names: they are skipped, or random
# binary would now and then spell "/JS". A stream starts after its dictionary's ">>".
_PDF_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_PDF_OVERLAP = 256  # bytes scanned again with the next chunk, so no name or keyword is cut in two


def _pdf_names_active(data: bytes) -> bool:
    for match in _PDF_NAME.finditer(data):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in _PDF_ACTIVE_NAMES:
            return True
    return False


def _pdf_is_active(file: Any) -> bool:
    """True when the PDF's objects, outside their streams, name JavaScript or a launch action.

    Read in chunks, so a large PDF is never held whole. Names inside compressed object streams are not
    seen; the download headers (attachment, sandbox) are the second line against those.
    """
    file.seek(0)
    buffer, in_stream = b"", False
    try:
        while True:
            chunk = file.read(1024 * 1024)
            final = not chunk
            buffer += chunk
            while buffer:
                if in_stream:
                    end = buffer.find(b"endstream")
                    if end == -1:
                        buffer = b"" if final else buffer[-_PDF_OVERLAP:]
                        break
                    buffer, in_stream = buffer[end + len(b"endstream") :], False
                    continue
                start = _PDF_STREAM_START.search(buffer)
                if start is None:
                    if _pdf_names_active(buffer):
                        return True
                    buffer = b"" if final else buffer[-_PDF_OVERLAP:]
                    break
                if _pdf_names_active(buffer[: start.start()]):
                    return True
                buffer, in_stream = buffer[start.end() :], True
            if final:
                return False
    finally:
        file.seek(0)


def _sniff(file: Any) -> str | None:
    """The extension the bytes say, whatever the name says."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension in {"zip", "docx", "xlsx", "pptx"}:
        # filetype guesses Office files from the first entry only; look inside the container.
        return _ooxml_kind(file) or "zip"
    return _ALIASES.get(kind.extension, kind.extension)


def validate_upload(
    file: Any,
    *,
    allowed: set[str] | frozenset[str] = DEFAULT_ALLOWED,
    max_bytes: int | None = None,
    name: str | None = None,
) -> str:
    """Check an uploaded file; return its extension as sniffed from its bytes.

    ``name`` is the name the sender gave, when the file object carries none.

    Raises ``ValidationError`` with a GOV.UK-style message when the file is empty, too big, of a type
    not allowed, or not what its name says.
    """
    limit = settings.SVRP_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    allowed = {_ALIASES.get(ext.lower(), ext.lower()) for ext in allowed}
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError(_("The selected file is empty"), code="empty")
    if size > limit:
        raise ValidationError(
            _("The selected file must be smaller than %(size)s") % {"size": _human_size(limit)},
            code="too_big",
        )
    name = PurePath(name or getattr(file, "name", "") or "").name
    claimed = _ALIASES.get(
        PurePath(name).suffix.lower().lstrip("."), PurePath(name).suffix.lower().lstrip(".")
    )
    # "in … format", not "a …": the article would be wrong for XLSX ("an XLSX") and right for PDF.
    type_message = _("The selected file must be in %(types)s format") % {"types": _human_list(allowed)}
    if claimed not in allowed:
        raise ValidationError(type_message, code="type")
    try:
        sniffed = _sniff(file)
    except _Damaged:
        raise ValidationError(
            _("The selected file is damaged and cannot be opened. Save it again and upload it again"),
            code="damaged",
        ) from None
    except _Bomb:
        raise ValidationError(
            _(
                "The selected file would take too much space once opened. "
                "Save it again from the program that made it, or split it, and upload it again"
            ),
            code="bomb",
        ) from None
    if sniffed is None and claimed == "csv":
        sniffed = "csv" if _looks_like_text(file) else None
    if sniffed != claimed:
        raise ValidationError(
            _(
                "The selected file is not in %(claimed)s format, whatever its name says. "
                "Save it in %(claimed)s format and upload it again"
            )
            % {"claimed": claimed.upper()},
            code="disguised",
        )
    if sniffed == "pdf" and _pdf_is_active(file):
        raise ValidationError(
            _(
                "The selected PDF contains scripts, actions or attached files, which the portal does "
                "not accept. Print it to a new PDF and upload that"
            ),
            code="active",
        )
    return sniffed


def _looks_like_text(file: Any) -> bool:
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A cut in the middle of a multi-byte character at the end of the sample is still text.
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def safe_upload_name(instance: Any, filename: str) -> str:
    """``upload_to`` for every upload: a random folder and name, keeping only a safe extension.

    The original name is never used on disk (keep it on the model if users need it back).
    """
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    suffix = suffix if suffix.isalnum() and len(suffix) <= 8 else "bin"
    app_label = getattr(getattr(instance, "_meta", None), "app_label", "uploads")
    return f"{app_label}/{uuid.uuid4().hex}/{uuid.uuid4().hex}.{suffix}"


def serve_upload(fieldfile: FieldFile, download_name: str) -> FileResponse:
    """Stream a stored upload as a download. Call only after the view has checked permission."""
    extension = PurePath(fieldfile.name or "").suffix.lower().lstrip(".")
    content_type = (
        CONTENT_TYPES.get(extension)
        or mimetypes.guess_type(f"x.{extension}")[0]
        or "application/octet-stream"
    )
    safe_name = PurePath(download_name.replace("\\", "/")).name or f"download.{extension}"
    if not safe_name.lower().endswith(f".{extension}") and extension:
        safe_name = f"{safe_name}.{extension}"
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=True, filename=safe_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@deconstructible
class UploadValidator:
    """A model or form field validator running ``validate_upload`` with the given allow-list."""

    def __init__(self, allowed: Iterable[str] = DEFAULT_ALLOWED, max_bytes: int | None = None) -> None:
        self.allowed = frozenset(allowed)
        self.max_bytes = max_bytes

    def __call__(self, file: Any) -> None:
        validate_upload(file, allowed=self.allowed, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.allowed == other.allowed
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.allowed, self.max_bytes))


class UploadField(forms.FileField):
    """A form file field that accepts only the allowed types, checked from the bytes.

    ``cleaned_data[name]`` is the uploaded file, with ``.sniffed_extension`` set.
    """

    def __init__(
        self, *, allowed: Iterable[str] = DEFAULT_ALLOWED, max_bytes: int | None = None, **kwargs: Any
    ) -> None:
        self.allowed = frozenset(allowed)
        self.max_bytes = max_bytes
        kwargs.setdefault("error_messages", {"required": gettext_lazy("Select a file")})
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{ext}" for ext in sorted(self.allowed)))

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file and file is not initial:
            file.sniffed_extension = validate_upload(file, allowed=self.allowed, max_bytes=self.max_bytes)
        return file
