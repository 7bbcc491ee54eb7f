"""Views of the content host (`/pkg/l/<token>/…`): the SCORM player page around a package,
the package's files, the commits of its runtime, and cmi5's one-time token fetch. They use no
session and no cookie: the launch token in the path names the attempt, and it answers only on
the origin it was issued for."""

from __future__ import annotations

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from . import actions, tracking
from .hosts import origin_of
from .models import Standard


def _launch(request, token):
    launch = actions.launch_for_token(token)
    if launch is None or launch.origin != origin_of(request):
        raise Http404()
    return launch


def _frameable(response, launch, **extra):
    """Framed by the player on this host and the platform's page that holds it."""
    response._csp_config = {"frame-ancestors": [CSP.SELF, launch.parent_origin], **extra}
    response["Referrer-Policy"] = "no-referrer"
    return response


@xframe_options_exempt
def player(request, token):
    launch = _launch(request, token)
    attempt = launch.attempt
    package = attempt.package
    if package.standard == Standard.CMI5:
        raise Http404()
    item = package.item(launch.ident)
    state = attempt.states.filter(ident=launch.ident).first()
    href = item["href"]
    if item.get("parameters"):
        sep = "&" if "?" in href else "?"
        href += sep + item["parameters"].lstrip("?&")
    config = {
        "standard": package.standard,
        "launch": f"/pkg/l/{token}/c/{href}",
        "commit": f"/pkg/l/{token}/commit",
        "cmi": tracking.resume_data(package.standard, state, person=attempt.person, item=item),
        "mastery": item.get("mastery") is not None,
    }
    response = render(
        request,
        "packages/player.html",
        {"config": config, "title": item.get("title") or package.title},
    )
    return _frameable(
        response,
        launch,
        **{
            "default-src": [CSP.SELF],
            "script-src": [CSP.SELF],
            "style-src": [CSP.SELF],
            "frame-src": [CSP.SELF],
            "connect-src": [CSP.SELF],
        },
    )


@xframe_options_exempt
def package_file(request, token, path):
    """A file of the package (a course has hundreds: the launch comes from the cache)."""
    launch = actions.commit_launch(token)
    if launch is None or launch.origin != origin_of(request):
        raise Http404()
    found = actions.open_file(launch.key, path)
    if found is None:
        raise Http404()
    fh, ctype = found
    response = FileResponse(fh, content_type=ctype)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return _frameable(response, launch)


@csrf_exempt
def commit(request, token):
    """scorm-again's commit: {"cmi": {...}} → {"result": true, "errorCode": 0}."""
    launch = actions.commit_launch(token)
    if launch is None or launch.origin != origin_of(request):
        return JsonResponse(
            {"result": False, "errorCode": 101, "reason": "launch expired"}, status=403
        )
    if request.method != "POST":
        return JsonResponse({"result": False, "errorCode": 101}, status=405)
    if launch.standard == Standard.CMI5:
        raise Http404()
    try:
        actions.scorm_commit(launch=launch, body=request.body)
    except tracking.BadCommit as exc:
        return JsonResponse({"result": False, "errorCode": 101, "reason": str(exc)}, status=400)
    return JsonResponse({"result": True, "errorCode": 0})


@csrf_exempt
def fetch(request, token):
    """cmi5 §8.2.3: POST → {"auth-token": …} once per launch; again → error-code 1."""
    from .cmi5 import fetch_token

    launch = actions.launch_for_token(token)
    if (
        launch is None
        or launch.origin != origin_of(request)
        or launch.attempt.package.standard != Standard.CMI5
    ):
        return JsonResponse(
            {"error-code": "2", "error-text": "unknown or expired launch"}, status=404
        )
    if request.method != "POST":
        return JsonResponse({"error-code": "3", "error-text": "POST to fetch"}, status=405)
    value = fetch_token(launch)
    if value is None:
        return JsonResponse({"error-code": "1", "error-text": "already fetched"}, status=200)
    return JsonResponse({"auth-token": value})
