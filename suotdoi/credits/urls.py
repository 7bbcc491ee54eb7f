from django.urls import path

from . import views

app_name = "credits"
urlpatterns = [
    path("", views.account, name="account"),
    path("transcript.pdf", views.transcript, name="transcript"),
    path("units/<int:unit_id>/report/", views.report, name="report"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/<int:programme_id>/", views.programme, name="programme"),
    path("programmes/<int:programme_id>/rpl/", views.rpl_apply, name="rpl_apply"),
    path("rpl/<int:request_id>/", views.rpl, name="rpl"),
    path("providers/<int:unit_id>/", views.provider, name="provider"),
    path("manage/<int:programme_id>/", views.manage, name="manage"),
    path("accreditations/", views.accreditations, name="accreditations"),
    path(
        "accreditations/<int:accreditation_id>/document.pdf",
        views.accreditation_document,
        name="accreditation_document",
    ),
]
