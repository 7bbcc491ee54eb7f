from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.my_record, name="mine"),
    path("add/", views.entry_declare, name="declare"),
    path("export.json", views.export_json, name="export_json"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("verify/", views.verify_queue, name="verify_queue"),
    path("verify/bulk/", views.verify_bulk, name="verify_bulk"),
    path("verify/<int:entry_id>/reject/", views.entry_reject, name="reject"),
]
