"""The Django admin of the governance app, split by concern (registers: issue 3; meetings: issue 4)."""

from . import meetings, registers, reminders  # noqa: F401 - importing registers the ModelAdmins
