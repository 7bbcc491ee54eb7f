"""When the database is briefly away (a restart, a fail-over), say so and ask to retry
(issue #26): 503 with Retry-After, translated, instead of a server error. The next request
reconnects by itself (CONN_HEALTH_CHECKS)."""

from __future__ import annotations

import logging
import re

from django.db import InterfaceError, InternalError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable(request, exception)


# psycopg's words when the answers on a connection no longer match its questions: seen once
# through PgBouncer while PostgreSQL restarted under load (the fault drill).
_OUT_OF_STEP = re.compile(r"^received \d+ results? from command")


def database_unavailable(request, exception):
    """503 "try again" for a database that is away, else None."""
    if isinstance(exception, InternalError) and _OUT_OF_STEP.match(str(exception)):
        # The connection cannot be trusted again: closed when the request ends.
        for conn in connections.all(initialized_only=True):
            conn.close_at = 0
    elif not isinstance(exception, OperationalError | InterfaceError):
        return None
    # The broken connection is closed at the end of the request (close_old_connections) or
    # checked before reuse (CONN_HEALTH_CHECKS): nothing to do here.
    log.warning("database unavailable during %s: %s", request.path, exception)
    message = _("The service is unavailable for a moment. Nothing was saved; please try again.")
    machine = request.path.startswith(("/api/", "/xapi/", "/pkg/")) or "json" in (
        request.headers.get("Accept", "")
    )
    if machine:
        response = JsonResponse({"error": message, "code": "database_unavailable"}, status=503)
    else:
        # No request context: its processors would ask the database again.
        html = render_to_string("errors/503.html", {"message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = "5"
    return response
