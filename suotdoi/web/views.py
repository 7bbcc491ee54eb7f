from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from suotdoi.people.actions import person_set_language

from .home import next_steps_for, todos_for


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/home.html", {"steps": []})
    return render(
        request,
        "web/home.html",
        {"steps": next_steps_for(request.user), "todos": todos_for(request.user)},
    )


@never_cache
def healthz(request):
    """Liveness plus a real round trip to the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            ok = cursor.fetchone()[0] == 1
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        ok = False
    return JsonResponse(
        {"status": "ok" if ok else "error", "database": connection.vendor},
        status=200 if ok else 503,
    )


@require_POST
def set_language(request):
    language = request.POST.get("language", "")
    valid = {code for code, _name in settings.LANGUAGES}
    next_url = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:home")
    response = HttpResponseRedirect(next_url)
    if language in valid:
        if request.user.is_authenticated:
            person_set_language(actor=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


DISPLAY_COOKIE = "suotdoi_display"
TEXT_SIZES = ("normal", "large", "larger")  # 100 %, 125 %, 150 % of the usual type


def display_prefs(request) -> dict:
    """The reader's text size and contrast, from their cookie (anything unknown: the usual)."""
    parts = request.COOKIES.get(DISPLAY_COOKIE, "").split(".")
    text = parts[0] if parts and parts[0] in TEXT_SIZES else "normal"
    return {"text": text, "contrast": "high" if "high" in parts[1:] else "normal"}


@require_POST
def set_display(request):
    """Larger text and higher contrast, for this device (works before signing in and without
    scripts: a form of buttons, like the language switch)."""
    prefs = display_prefs(request)
    if request.POST.get("text_size") in TEXT_SIZES:
        prefs["text"] = request.POST["text_size"]
    if request.POST.get("contrast") in ("high", "normal"):
        prefs["contrast"] = request.POST["contrast"]
    next_url = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:home")
    response = HttpResponseRedirect(next_url)
    value = prefs["text"] + (".high" if prefs["contrast"] == "high" else "")
    response.set_cookie(
        DISPLAY_COOKIE,
        value,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    """Django calls this inside its `except`: an exception raised before any view (a
    middleware loading the session while the database restarts) is still the current one."""
    import sys

    from suotdoi.core.middleware import database_unavailable

    exc = sys.exc_info()[1]
    if exc is not None and (answer := database_unavailable(request, exc)) is not None:
        return answer
    try:
        return render(request, "errors/500.html", status=500)
    except Exception:  # noqa: BLE001 - the page's own context may need what just failed
        from django.http import HttpResponseServerError

        return HttpResponseServerError("500", content_type="text/plain")


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico on every site: send them the icon."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("suotdoi/favicon.svg"))


def service_worker(request):
    """The service worker from the site's root, so that it may act for every page (a worker
    is allowed the folder it is served from and below). Always checked for a new version."""
    from django.contrib.staticfiles import finders
    from django.http import HttpResponse

    path = finders.find("suotdoi/sw.js")
    if path is None:  # production: collected
        from django.contrib.staticfiles.storage import staticfiles_storage

        path = staticfiles_storage.path("suotdoi/sw.js")
    with open(path, "rb") as f:
        response = HttpResponse(f.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    """The web app manifest: installable from the browser's menu or our own prompt."""
    from django.templatetags.static import static
    from django.utils.translation import gettext as _

    data = {
        "name": "Suốt Đời",
        "short_name": "Suốt Đời",
        "description": _("Your lifelong learning record, campaigns and courses."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#a3161b",
        "icons": [
            {"src": static("suotdoi/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("suotdoi/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("suotdoi/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def offline(request):
    """What the app shows for a page it has not saved when there is no connection (the
    service worker keeps this page from its first visit)."""
    return render(request, "web/offline.html")
