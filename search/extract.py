"""Reading the text of an uploaded file, bounded: a hostile or broken file yields no text, never a crash.

PDF through pypdf (a page cap); DOCX, XLSX and PPTX by reading their text runs from the zip's XML with
a regular expression, never an XML parser (no entity expansion), and never more than ``MAX_XML_BYTES``
of decompressed XML from any one part, whatever the zip claims. Every result stops at ``MAX_CHARS``.
"""

from __future__ import annotations

import html
import io
import logging
import re
import zipfile
from typing import Any

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 25 * 1024 * 1024  # larger files are not read at all
MAX_PAGES = 100
MAX_CHARS = 100_000
MAX_XML_BYTES = 8 * 1024 * 1024
MAX_PARTS = 200

_WORD_RUN = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|</w:p>")
_SHEET_RUN = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_SLIDE_RUN = re.compile(rb"<a:t(?:\s[^>]*)?>([^<]*)</a:t>|</a:p>")


def extract_text(file: Any, file_type: str) -> str:
    """The words of a stored file (a FieldFile or file-like), or "" when it cannot be read."""
    try:
        data = _read(file)
        if data is None:
            return ""
        reader = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "pptx": _pptx}.get(file_type.lower())
        text = reader(data) if reader else ""
    except Exception as error:  # A broken or hostile file must not stop the index: it has no text.
        logger.warning("Could not read the text of a %s file: %s", file_type, type(error).__name__)
        return ""
    return _tidy(text)


def _read(file: Any) -> bytes | None:
    file.open("rb") if hasattr(file, "open") else None
    try:
        data: bytes = file.read(MAX_FILE_BYTES + 1)
    finally:
        if hasattr(file, "close"):
            file.close()
    return None if len(data) > MAX_FILE_BYTES else data


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text).strip()
    return text[:MAX_CHARS]


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    parts: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= MAX_CHARS:
            break
    return "\n".join(parts)


def _runs(data: bytes, pattern: re.Pattern[bytes], parts: Any) -> str:
    out: list[str] = []
    size = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if parts(n)][:MAX_PARTS]
        for name in sorted(names, key=_natural):
            with archive.open(name) as member:
                xml = member.read(MAX_XML_BYTES)
            for match in pattern.finditer(xml):
                run = match.group(1)
                piece = "\n" if run is None else html.unescape(run.decode("utf-8", "replace"))
                out.append(piece)
                size += len(piece)
            out.append("\n")
            if size >= MAX_CHARS:
                break
    return "".join(out)


def _natural(name: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _docx(data: bytes) -> str:
    return _runs(data, _WORD_RUN, lambda n: n == "word/document.xml")


def _xlsx(data: bytes) -> str:
    return _runs(
        data,
        _SHEET_RUN,
        lambda n: n == "xl/sharedStrings.xml" or (n.startswith("xl/worksheets/sheet") and n.endswith(".xml")),
    )


def _pptx(data: bytes) -> str:
    return _runs(data, _SLIDE_RUN, lambda n: n.startswith("ppt/slides/slide") and n.endswith(".xml"))
