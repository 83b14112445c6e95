"""Work done once an answer has gone out, so that how long it takes never shows in the answer.

The WSGI server calls the response's close() after sending its last byte (Django's test client
does the same), so work hooked there runs in the same process, on the request's own database
connection, before Django's request_finished closes it. A failure is logged; the answer has
already been sent.
"""

import logging

from django.http import HttpResponseBase

logger = logging.getLogger(__name__)


def call_after_response(response: HttpResponseBase, work) -> HttpResponseBase:
    close = response.close

    def work_then_close():
        try:
            work()
        except Exception:
            logger.exception("Work after the response failed")
        finally:
            close()

    response.close = work_then_close
    return response
