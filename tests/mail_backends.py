"""Mail backends for servers under test (DJANGO_EMAIL_BACKEND=tests.mail_backends.…)."""

import time

from django.core.mail.backends.base import BaseEmailBackend

SLOW_MAIL_SECONDS = 0.1


class SlowBackend(BaseEmailBackend):
    """A mail server that takes its time (SLOW_MAIL_SECONDS a message), keeping nothing: if a
    request waited for it, the wait would show in that request's time."""

    def send_messages(self, email_messages):
        for _ in email_messages:
            time.sleep(SLOW_MAIL_SECONDS)
        return len(email_messages)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no mail server")
