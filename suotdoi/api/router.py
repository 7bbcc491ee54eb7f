"""The NinjaAPI root: one document at /api/v1/openapi.json, each app mounts its router."""

from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.parser import Parser

from suotdoi.core.jsonio import parse_json

from . import errors
from .auth import ApiTokenAuth, PersonSession
from .schemas import MeOut


class StrictParser(Parser):
    """Request bodies are JSON objects, read by the one strict reader (core.jsonio)."""

    def parse_body(self, request):
        return parse_json(request.body, want_object=True)


PROBLEM_STATUSES = {
    "400": "The body is not valid JSON or not an object.",
    "401": "No valid session or token.",
    "403": "Forbidden.",
    "404": "Absent, or not visible to the caller (the two look the same).",
    "409": "Conflicts with the current state.",
    "413": "The body is too large.",
    "422": "The data is not valid.",
    "429": "Too many requests for this token.",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "required": ["type", "title", "status"],
}


class SuotDoiAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Every operation also documents the problems it may answer with (RFC 9457)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        ref = {"$ref": "#/components/schemas/Problem"}
        for item in schema["paths"].values():
            for op in item.values():
                responses = op.setdefault("responses", {})
                for status, text in PROBLEM_STATUSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": text,
                            "content": {"application/problem+json": {"schema": ref}},
                        },
                    )
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        """The view's own name (unit_get, membership_create…): generated clients get readable
        method names. A test keeps them unique."""
        return operation.view_func.__name__


api = SuotDoiAPI(
    parser=StrictParser(),
    # ASCII, so that generated clients get plain names (suot_doi_api_client).
    title="Suot Doi API",
    version="1.0.0",
    description=(
        "REST API of Suốt Đời, the lifelong-learning platform. Errors are RFC 9457 "
        "problem+json.\n\n"
        "**Authentication.** Machines send `Authorization: Bearer <token>`: either a personal "
        "access token (`sdt_…`) or an access token from the OAuth 2.0 client credentials grant "
        "(`POST /api/v1/oauth/token`, form fields `grant_type=client_credentials`, "
        "`client_id`, `client_secret`, or HTTP Basic; tokens last one hour). A unit's officers "
        "make both on the unit's *API access* page; each acts as the officer who made it, only "
        "inside that unit's subtree and for the capabilities chosen. The browser uses its "
        "session cookie; then every write must carry the `X-CSRFToken` header with the value "
        "of the `csrftoken` cookie."
    ),
    urls_namespace="api-v1",
    auth=[ApiTokenAuth(), PersonSession(csrf=True)],
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
    from suotdoi.campaigns.api import router as campaigns_router
    from suotdoi.catalog.api import router as catalog_router
    from suotdoi.credentials.api import router as credentials_router
    from suotdoi.credits.api import router as credits_router
    from suotdoi.funding.api import router as funding_router
    from suotdoi.organisations.api import router as organisations_router
    from suotdoi.recognition.api import router as recognition_router
    from suotdoi.records.api import router as records_router

    api.add_router("/", organisations_router)
    api.add_router("/", records_router)
    api.add_router("/", credentials_router)
    api.add_router("/", recognition_router)
    api.add_router("/", catalog_router)
    api.add_router("/", campaigns_router)
    api.add_router("/", funding_router)
    api.add_router("/", credits_router)


_mount()


urlpatterns = [path("", api.urls)]
