"""What the console shows: what the portal is doing and what needs a person, not routine noise.

The log file (``SVRP_LOG_FILE``) keeps every record at its own level; the console handler leaves out
records that are routine rather than wrong (settings ``LOGGING``):

- an ordinary refusal (403, 404 and other 4xx answers) is one line, without the traceback of the
  ``PermissionDenied`` or ``Http404`` that produced it (the access line says the rest);
- WeasyPrint's progress lines and fontTools' subsetting details (INFO), written for every PDF;
- kombu's "No hostname was supplied" warning, which the file-system broker (no host by design) gives
  at every start of the worker and beat.
"""

from __future__ import annotations

import copy
import logging

_CHATTY_BELOW_WARNING = ("weasyprint", "fontTools")
_EXPECTED_WARNINGS = (("kombu.connection", "No hostname was supplied"),)


def _from(record: logging.LogRecord, names: tuple[str, ...]) -> bool:
    return any(record.name == name or record.name.startswith(f"{name}.") for name in names)


class QuietConsole(logging.Filter):
    """Leaves routine progress lines and expected warnings out of the console."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING and _from(record, _CHATTY_BELOW_WARNING):
            return False
        return not any(
            _from(record, (name,)) and str(record.msg).startswith(text) for name, text in _EXPECTED_WARNINGS
        )


class ConsoleFormatter(logging.Formatter):
    """One line for an ordinary refusal: the traceback of a 4xx answer is left to the log file."""

    def format(self, record: logging.LogRecord) -> str:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            record = copy.copy(record)  # the file handler still writes the traceback
            record.exc_info = None
            record.exc_text = None
        return super().format(record)
