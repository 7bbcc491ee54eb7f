from django.urls import path

from . import views

app_name = "recognition"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("register/", views.register, name="register"),
    path("assist/<int:membership_id>/register/", views.register_for, name="register_for"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/review/", views.review, name="review"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("units/<int:unit_id>/", views.unit_page, name="unit"),
    path("units/<int:unit_id>/decisions/new/", views.decision_new, name="decision_new"),
    path("units/<int:unit_id>/round/", views.round_set, name="round"),
    path(
        "units/<int:unit_id>/commendations/propose/",
        views.commendation_propose,
        name="commendation_propose",
    ),
    path(
        "units/<int:unit_id>/commendations/decide/",
        views.commendation_decide,
        name="commendation_decide",
    ),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision"),
    path("units/<int:unit_id>/movements/new/", views.movement_new, name="movement_new"),
    path("movements/<int:movement_id>/", views.movement, name="movement"),
    path("sets/", views.sets, name="sets"),
    path("sets/<int:set_id>/", views.set_detail, name="set"),
    path("sets/<int:set_id>/export.json", views.set_export, name="set_export"),
    path("sets/import/", views.set_import, name="set_import"),
]
