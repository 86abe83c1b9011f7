"""The Django admin of the governance app, split by concern (registers; meetings)."""

from . import meetings, registers, reminders  # noqa: F401 - importing registers the ModelAdmins
