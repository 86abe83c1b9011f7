"""Reading the Terms of Reference document (``governance/data/svrp-terms-of-reference.txt``).

The file is the Word document saved as text: section headings carry ``[bookmark: _Toc…]`` markers,
footnotes appear as ``[footnoteRef:n]`` where they are cited and ``[n: text]`` where Word put their text.
``sections()`` returns the sections verbatim with that markup cleaned: each citation becomes ``[n]`` and
each footnote's text is kept as the section's notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "data" / "svrp-terms-of-reference.txt"

# The document's headings are set in small capitals; the text holds them in lower case.
HEADINGS = {
    "distribution list and SVRP membership": "Distribution list and SVRP membership",
    "introduction": "Introduction",
    "vision and mission": "Vision and mission",
    "aims and activities linked to the theory of change (toc)": (
        "Aims and activities linked to the Theory of Change (ToC)"
    ),
    "crest advisory recommendations": "Crest Advisory recommendations",
    "outcomes based performance framework": "Outcomes Based Performance Framework",
    "BOARD MEMBER responsibilities": "Board member responsibilities",
    "reporting relationships": "Reporting relationships",
    "meeting frequency and format": "Meeting frequency and format",
    "administration": "Administration",
}

_SECTION = re.compile(r"^\s*\[bookmark: _Toc\d+\](?P<heading>[^\n]*)$", re.MULTILINE)
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_FOOTNOTE_TEXT = re.compile(r"\s*\[(?P<n>\d+):\s*(?P<text>[^\]]*)\]", re.DOTALL)
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(?P<n>\d+)\]")
# The document's only figure is not in the text; say so where its caption stands.
FIGURE_NOTE = "Figure 1 is a diagram in the original document and is not reproduced here."


@dataclass(frozen=True)
class Section:
    order: int
    heading: str
    body: str
    notes: str


def _clean_lines(text: str) -> str:
    """Strip Word's table indentation and trailing spaces, and collapse runs of blank lines."""
    lines = [line.strip() for line in text.splitlines()]
    cleaned: list[str] = []
    for line in lines:
        if not line and (not cleaned or not cleaned[-1]):
            continue
        cleaned.append(line)
    return "\n".join(cleaned).strip()


def clean(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without bookmarks, footnote citations as ``[n]``, and the footnotes found."""
    footnotes = [
        (int(m["n"]), " ".join(m["text"].split()) if "\n" not in m["text"].strip() else m["text"])
        for m in _FOOTNOTE_TEXT.finditer(text)
    ]
    text = _FOOTNOTE_TEXT.sub("", text)
    text = _BOOKMARK.sub("", text)
    text = _FOOTNOTE_REF.sub(lambda m: f"[{m['n']}]", text)
    return _clean_lines(text), [(n, _clean_lines(note)) for n, note in footnotes]


def sections(path: Path = SOURCE) -> list[Section]:
    text = path.read_text(encoding="utf-8")
    found = list(_SECTION.finditer(text))
    result = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        raw_heading = match["heading"].strip()
        body, footnotes = clean(text[match.end() : end])
        notes = [f"[{n}] {note}" for n, note in footnotes]
        if re.search(r"^Figure 1$", body, re.MULTILINE):
            notes.append(FIGURE_NOTE)
        result.append(
            Section(
                order=index + 1,
                heading=HEADINGS.get(raw_heading, raw_heading[:1].upper() + raw_heading[1:]),
                body=body,
                notes="\n".join(notes),
            )
        )
    return result
