from django.urls import path

from . import learner, pages

app_name = "lrs_pages"
urlpatterns = [
    path("tools/", learner.my_tools, name="my_tools"),
    path("tools/links/<int:link_id>/revoke/", learner.link_revoke, name="link_revoke"),
    path("tools/reported/<int:entry_id>/", learner.reported_decide, name="reported_decide"),
    path("unit/<int:unit_id>/clients/<int:client_id>/", pages.client_settings, name="client"),
    path("unit/<int:unit_id>/", pages.unit_lrs, name="unit"),
    path(
        "unit/<int:unit_id>/clients/<int:client_id>/revoke/",
        pages.client_revoke,
        name="client_revoke",
    ),
]
