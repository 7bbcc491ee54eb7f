"""The NinjaAPI root: one document at /api/v1/openapi.json, each app mounts its router."""

from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.parser import Parser

from suotdoi.core.jsonio import parse_json

from . import errors
from .auth import PersonSession
from .schemas import MeOut


class StrictParser(Parser):
    """Request bodies are JSON objects, read by the one strict reader (core.jsonio)."""

    def parse_body(self, request):
        return parse_json(request.body, want_object=True)


api = NinjaAPI(
    parser=StrictParser(),
    title="Suốt Đời API",
    version="1.0.0",
    description="REST API of Suốt Đời, the lifelong-learning platform. Errors are RFC 9457 "
    "problem+json. Authentication: the browser session (CSRF token on writes).",
    urls_namespace="api-v1",
    auth=PersonSession(csrf=True),
    # Swagger UI (served from our own static files) sets inline styles.
    docs_decorator=csp_override(
        {
            "default-src": [CSP.SELF],
            "script-src": [CSP.SELF],
            "img-src": [CSP.SELF, "data:"],
            "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
            "frame-ancestors": [CSP.NONE],
        }
    ),
)
errors.install(api)


@api.get("/me", response=MeOut, tags=["people"], summary="The signed-in person")
def me(request):
    return request.auth


def _mount() -> None:
    from suotdoi.credentials.api import router as credentials_router
    from suotdoi.organisations.api import router as organisations_router
    from suotdoi.records.api import router as records_router

    api.add_router("/", organisations_router)
    api.add_router("/", records_router)
    api.add_router("/", credentials_router)


_mount()

urlpatterns = [path("", api.urls)]
