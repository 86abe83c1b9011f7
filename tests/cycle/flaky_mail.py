"""A mail backend that refuses the next N messages, as a mail server that is down for a while does."""

from __future__ import annotations

from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    failures_left = 0

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        if FlakyEmailBackend.failures_left > 0:
            FlakyEmailBackend.failures_left -= 1
            raise ConnectionRefusedError("The mail server refused the connection.")
        return super().send_messages(messages)
