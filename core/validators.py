"""Validators every app's models share."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators: none belongs in a
# single-line value (a title, a name), and CR/LF in one breaks the e-mail headers and calendar lines
# it is copied into.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def single_line(value: str) -> None:
    """Refuse line breaks, tabs and other control characters in a single-line text field."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError(
            _("Enter this on one line, without line breaks, tabs or other control characters."),
            code="control_characters",
        )
