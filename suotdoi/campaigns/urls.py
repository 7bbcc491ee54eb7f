from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/<int:unit_id>/", views.campaign_create, name="create"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/launch/", views.campaign_launch, name="launch"),
    path("<int:campaign_id>/close/", views.campaign_close, name="close"),
    path("<int:campaign_id>/remind/", views.campaign_remind, name="remind"),
    path("<int:campaign_id>/export.xlsx", views.campaign_export_xlsx, name="export_xlsx"),
    path("<int:campaign_id>/report.pdf", views.campaign_report_pdf, name="report_pdf"),
    path("<int:campaign_id>/questions/", views.questions, name="questions"),
    path("tasks/<int:task_id>/quiz/", views.quiz, name="quiz"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/reflection/", views.reflection, name="reflection"),
    path(
        "tasks/<int:task_id>/reflections/<int:reflection_id>/review/",
        views.reflection_review,
        name="reflection_review",
    ),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/qr/", views.session_qr, name="session_qr"),
    path("sessions/<int:session_id>/minutes/", views.session_minutes, name="session_minutes"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
]
