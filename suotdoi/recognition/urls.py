from django.urls import path

from . import views

app_name = "recognition"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("register/", views.register, name="register"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/review/", views.review, name="review"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("units/<int:unit_id>/", views.unit_page, name="unit"),
    path("units/<int:unit_id>/decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision"),
    path("sets/", views.sets, name="sets"),
    path("sets/<int:set_id>/", views.set_detail, name="set"),
    path("sets/<int:set_id>/export.json", views.set_export, name="set_export"),
    path("sets/import/", views.set_import, name="set_import"),
]
