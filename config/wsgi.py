import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()

# The xAPI LRS speaks to machines with HTTP Basic: no sessions, cookies, CSRF, messages or
# page languages. It goes through a handler with only the security and audit middleware —
# every request to /xapi/ saves the rest of the stack. So do an e-learning player's tracking
# commits and cmi5's token fetch (/pkg/l/<token>/commit, …/fetch), and a contest sitting's
# answers saved by its page's script (/contests/a/<token>/) and a round started by the contest
# page's (/contests/s/<token>/), named by their token alone.
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402


class _LrsHandler(WSGIHandler):
    MIDDLEWARE = (
        "django.middleware.security.SecurityMiddleware",
        "suotdoi.packages.hosts.ContentHostMiddleware",
        "suotdoi.audit.middleware.AuditContextMiddleware",
        "suotdoi.core.dbrouting.PrimaryAfterWriteMiddleware",
        "suotdoi.core.middleware.DatabaseUnavailableMiddleware",
    )

    def load_middleware(self, is_async=False):
        from django.conf import settings

        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = list(self.MIDDLEWARE)
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


_site, _lrs = application, _LrsHandler()


def application(environ, start_response):  # noqa: F811 - wraps the one above
    path = environ.get("PATH_INFO", "")
    if path.startswith(("/xapi/", "/contests/a/", "/contests/s/")) or (
        path.startswith("/pkg/l/") and path.endswith(("/commit", "/fetch"))
    ):
        return _lrs(environ, start_response)
    return _site(environ, start_response)
