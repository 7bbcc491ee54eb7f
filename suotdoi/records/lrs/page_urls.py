from django.urls import path

from . import pages

app_name = "lrs_pages"
urlpatterns = [
    path("unit/<int:unit_id>/", pages.unit_lrs, name="unit"),
    path(
        "unit/<int:unit_id>/clients/<int:client_id>/revoke/",
        pages.client_revoke,
        name="client_revoke",
    ),
]
