"""Check-in without signal (#27, ADR 0010): the page a phone shows when it scans a code
offline, the door its queued scans are sent through later, and the organiser's upload of
the codes its screen showed offline."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError
from suotdoi.core.jsonio import BadJSON, parse_json_body

from .. import actions
from ..access import access_session

MAX_BODY = 64 * 1024


def _body(request) -> dict:
    return parse_json_body(request, max_bytes=MAX_BODY)


def scan_saved(request):
    """Kept by the service worker (no one's data in it): shown for a check-in code opened
    without a connection. Its script keeps the code and the scan time for sending later."""
    return render(request, "campaigns/scan_saved.html")


@login_required
@require_POST
def checkin_offline(request):
    """A scan kept offline, sent once there is signal: {"token", "scanned_at" (ms since
    1970, the phone's clock)}. Answers {"status": accepted|already|pending|refused,
    "message"}; a refusal is final (the phone drops the scan), so it is a 200 with its reason,
    and only a request that could not be read is a 400 (the phone keeps nothing it cannot
    send)."""
    try:
        body = _body(request)
        token = body.get("token")
        ms = body.get("scanned_at")
        if not isinstance(token, str) or len(token) > 200:
            raise BadJSON(_("This is not a check-in code."))
        if not isinstance(ms, int) or isinstance(ms, bool) or not 0 < ms < 10**14:
            raise BadJSON(_("The time of the scan could not be read."))
    except BadJSON as exc:
        return JsonResponse({"status": "error", "message": str(exc.message)}, status=400)
    scanned_at = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)
    try:
        status, session = actions.check_in_offline(
            person=request.user, token=token, scanned_at=scanned_at
        )
    except ApplicationError as exc:
        return JsonResponse({"status": "refused", "message": str(exc.message)})
    messages = {
        "accepted": _("You are checked in: %(t)s."),
        "already": _("You were already checked in: %(t)s."),
        "pending": _(
            "Received: %(t)s. It counts once the organiser's screen has sent the codes it showed."
        ),
    }
    return JsonResponse({"status": status, "message": messages[status] % {"t": session.title}})


@login_required
@require_POST
def session_shown(request, session_id):
    """The organiser's screen, back online: {"ranges": [[first_step, last_step], …]}."""
    session = access_session(request.user, session_id)
    try:
        body = _body(request)
        result = actions.display_upload(
            actor=request.user, session=session, ranges=body.get("ranges")
        )
    except BadJSON as exc:
        return JsonResponse({"status": "error", "message": str(exc.message)}, status=400)
    except ApplicationError as exc:
        return JsonResponse({"status": "error", "message": str(exc.message)}, status=400)
    return JsonResponse({"status": "ok", **result})
