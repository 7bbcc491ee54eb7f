"""Pages on the platform's host: the player page that frames a package, the provider's upload
and report pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.catalog.access import access_course_manage
from suotdoi.core.errors import ValidationFailed

from . import actions, selectors
from .access import access_package_lesson, access_package_manage
from .forms import NewCourseForm, UploadForm
from .hosts import content_origin, origin_of
from .manifest import limits
from .models import ItemState, Standard
from .statements import actor, au_iri


def _framing(response, *origins: str):
    """The platform's policy, allowing frames from the content host (and an AU's own site)."""
    config = dict(settings.SECURE_CSP)
    config["frame-src"] = sorted({o for o in origins if o})
    response._csp_config = config
    return response


@login_required
def play(request, lesson_id):
    """The course player for a package: its parts, where the learner is, and the content
    framed from the content host."""
    package, staff = access_package_lesson(request.user, lesson_id)
    course = package.lesson.course
    origin = content_origin(request)
    if request.method == "POST":
        if "again" in request.POST:
            actions.current_attempt(person=request.user, package=package, fresh=True)
            messages.success(request, _("A new attempt has started."))
        return redirect("packages:play", lesson_id=package.lesson_id)
    if not origin:
        return render(request, "packages/unavailable.html", {"course": course}, status=503)
    attempt = actions.current_attempt(person=request.user, package=package)
    states = {s.ident: s for s in ItemState.objects.filter(attempt=attempt)}
    items = package.items
    wanted = request.GET.get("item")
    item = next((i for i in items if i["ident"] == wanted), None) or next(
        (i for i in items if not (states.get(i["ident"]) and states[i["ident"]].satisfied)),
        items[0],
    )
    launch, token = actions.launch_create(
        person=request.user,
        attempt=attempt,
        ident=item["ident"],
        origin=origin,
        parent_origin=origin_of(request),
    )
    base = f"{origin}/pkg/l/{token}/"
    outside = ""
    if package.standard == Standard.CMI5:
        href = item["href"]
        if href.startswith("https://"):
            url, outside = href, "https://" + href.split("/")[2]
        else:
            url = base + "c/" + href
        params = urlencode(
            {
                "endpoint": f"{origin}/xapi/",
                "fetch": base + "fetch",
                "registration": str(attempt.registration),
                "activityId": au_iri(package, item["ident"]),
                "actor": _json(actor(request.user)),
            }
        )
        frame = url + ("&" if "?" in url else "?") + params
    else:
        frame = base
    rows = [
        {
            "item": i,
            "current": i["ident"] == item["ident"],
            "state": states.get(i["ident"]),
        }
        for i in items
    ]
    response = render(
        request,
        "packages/play.html",
        {
            "package": package,
            "course": course,
            "attempt": attempt,
            "rows": rows,
            "frame": frame,
            "item": item,
            "staff": staff,
        },
    )
    return _framing(response, origin, outside)


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _too_big(request) -> list[str]:
    """A request larger than any package may be is refused before its body is read."""
    if int(request.META.get("CONTENT_LENGTH") or 0) <= limits()["bytes"] + 2**20:
        return []
    return [
        _("The package is larger than %(max)s MB; nothing was stored.")
        % {"max": limits()["bytes"] // 2**20}
    ]


@login_required
def upload(request, course_id):
    """A provider adds a package to a course, as one of its lessons or as the whole course."""
    course = access_course_manage(request.user, course_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST":
        problems = _too_big(request)
        if problems:
            form = UploadForm()
        elif form.is_valid():
            d = form.cleaned_data
            try:
                package = actions.package_upload(
                    actor=request.user,
                    course=course,
                    upload=d["file"],
                    title=d["title"],
                    use_tracked_time=d["use_tracked_time"],
                )
            except ValidationFailed as exc:
                problems = [str(exc.message)] + [e["message"] for e in exc.extra.get("errors", [])]
            else:
                messages.success(
                    request,
                    _("The package “%(title)s” was added to the course (%(n)s files).")
                    % {"title": package.title, "n": package.files},
                )
                return redirect("packages:upload", course_id=course.pk)
    status = 400 if problems else 200
    return render(
        request,
        "packages/upload.html",
        {
            "course": course,
            "form": form,
            "problems": problems,
            "packages": selectors.course_packages(course),
            "max_mb": limits()["bytes"] // 2**20,
        },
        status=status,
    )


@login_required
def new_course(request, unit_id):
    """A provider makes a whole course from one package: a draft course whose only lesson is
    the package, created together or not at all."""
    from suotdoi.catalog.access import provider_of_unit
    from suotdoi.organisations.policies import Capability

    provider = provider_of_unit(request.user, unit_id, Capability.MANAGE_MEMBERS)
    form = NewCourseForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST":
        problems = _too_big(request)
        if problems:
            form = NewCourseForm()
        elif form.is_valid():
            try:
                package = actions.course_from_package(
                    actor=request.user, provider=provider, **form.cleaned_data
                )
            except ValidationFailed as exc:
                problems = [str(exc.message)] + [e["message"] for e in exc.extra.get("errors", [])]
            else:
                messages.success(
                    request,
                    _("The course “%(title)s” was made from the package as a draft.")
                    % {"title": package.lesson.course.title},
                )
                return redirect("catalog:manage_course", course_id=package.lesson.course_id)
    return render(
        request,
        "packages/new_course.html",
        {
            "provider": provider,
            "form": form,
            "problems": problems,
            "max_mb": limits()["bytes"] // 2**20,
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def delete(request, package_id):
    package = access_package_manage(request.user, package_id)
    course_id = package.lesson.course_id
    try:
        actions.package_delete(actor=request.user, package=package)
        messages.success(request, _("The package was removed from the course."))
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    return redirect("packages:upload", course_id=course_id)


@login_required
def report(request, package_id):
    package = access_package_manage(request.user, package_id)
    rows = selectors.learner_rows(package)
    return render(
        request,
        "packages/report.html",
        {"package": package, "course": package.lesson.course, "rows": rows},
    )


@login_required
def report_xlsx(request, package_id):
    from .exporting import report_workbook

    package = access_package_manage(request.user, package_id)
    return FileResponse(
        report_workbook(package),
        as_attachment=True,
        filename=f"goi-hoc-lieu-{package.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
