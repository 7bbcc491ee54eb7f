"""RFC 9457 problem+json responses, for the API and for middleware that answers API paths."""

from __future__ import annotations

from django.http import HttpResponse

PROBLEM_BASE = "https://suotdoi.vn/problems/"


def problem(status: int, code: str, title: str, detail: str = "", **extra) -> HttpResponse:
    import json

    body = {"type": PROBLEM_BASE + code, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type="application/problem+json",
    )
