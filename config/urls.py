from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from suotdoi.people import views as people_views
from suotdoi.web import views as web_views

admin.site.login = login_required(admin.site.login)  # one sign-in page: allauth's
admin.site.site_header = "Suốt Đời"

urlpatterns = [
    path("", include("suotdoi.web.urls")),
    path("healthz", web_views.healthz, name="healthz"),
    path("favicon.ico", web_views.favicon, name="favicon"),
    path("sw.js", web_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", web_views.manifest, name="manifest"),
    path("offline/", web_views.offline, name="offline"),
    path("privacy/", people_views.privacy, name="privacy"),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("suotdoi.people.urls")),
    path("notifications/", include("suotdoi.notifications.urls")),
    path("audit/", include("suotdoi.audit.urls")),
    path("units/", include("suotdoi.organisations.urls")),
    path("record/lrs/", include("suotdoi.records.lrs.page_urls")),
    path("record/", include("suotdoi.records.urls")),
    path("campaigns/", include("suotdoi.campaigns.urls")),
    path("catalog/", include("suotdoi.catalog.urls")),
    path("recognition/", include("suotdoi.recognition.urls")),
    path("credentials/", include("suotdoi.credentials.urls")),
    path("funding/", include("suotdoi.funding.urls")),
    path("credits/", include("suotdoi.credits.urls")),
    path("contests/", include("suotdoi.contests.urls")),
    path("reports/", include("suotdoi.reports.urls")),
    path("stories/", include("suotdoi.stories.urls")),
    path("packages/", include("suotdoi.packages.urls")),
    path("pkg/", include("suotdoi.packages.content_urls")),
    path("xapi/", include("suotdoi.records.lrs.urls")),
    path("vc-api/", include("suotdoi.credentials.vcapi_urls")),
    path("api/v1/", include("suotdoi.api.router")),
    path("", include("suotdoi.api.page_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "suotdoi.web.views.error_400"
handler403 = "suotdoi.web.views.error_403"
handler404 = "suotdoi.web.views.error_404"
handler500 = "suotdoi.web.views.error_500"

# Uploaded files (evidence, minutes, photos, imports) are never served by path, not even in
# development: each one goes out only through a view that checks who is asking.
