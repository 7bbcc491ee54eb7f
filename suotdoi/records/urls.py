from django.urls import path

from . import assist_views, views

app_name = "records"
urlpatterns = [
    path("", views.my_record, name="mine"),
    path("add/", views.entry_declare, name="declare"),
    path("export.json", views.export_json, name="export_json"),
    path("transcript.pdf", views.transcript, name="transcript"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("entries/<int:entry_id>/evidence/", views.entry_evidence, name="evidence"),
    path("entries/<int:entry_id>/correct/", views.entry_correct, name="correct"),
    path("share/", views.shares, name="shares"),
    path("shared/<str:token>/", views.shared_record, name="shared"),
    path("verify/", views.verify_queue, name="verify_queue"),
    path("venues/<int:unit_id>/poster/", views.venue_poster, name="venue_poster"),
    path("visit/<str:token>/", views.venue_visit, name="visit"),
    path("verify/bulk/", views.verify_bulk, name="verify_bulk"),
    path("verify/<int:entry_id>/reject/", views.entry_reject, name="reject"),
    path("assist/<int:membership_id>/", assist_views.assist_member, name="assist"),
    path(
        "assist/consents/<int:consent_id>/withdraw/",
        assist_views.consent_withdraw,
        name="assist_withdraw",
    ),
]
