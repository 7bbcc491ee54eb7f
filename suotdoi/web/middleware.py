from django.conf import settings
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Vietnamese unless the person chose otherwise.

    The browser's Accept-Language is ignored on purpose: many phones in Vietnam are set to
    English, yet their owners expect Vietnamese. Order: the person's saved choice, the language
    cookie, then Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
        if language not in SUPPORTED:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class ApplicationErrorMiddleware:
    """Turn domain errors raised in page views into friendly pages (API has its own handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.http import Http404

        from suotdoi.core.errors import ApplicationError, NotFound

        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            raise Http404() from exception
        if isinstance(exception, ApplicationError):
            from django.shortcuts import render

            return render(
                request, "errors/400.html", {"message": exception.message}, status=exception.status
            )
        return None
