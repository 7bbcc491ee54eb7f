from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/<int:unit_id>/", views.campaign_create, name="create"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/launch/", views.campaign_launch, name="launch"),
    path("<int:campaign_id>/close/", views.campaign_close, name="close"),
    path("<int:campaign_id>/extend/", views.campaign_extend, name="extend"),
    path("<int:campaign_id>/documents/", views.document_add, name="document_add"),
    path("documents/<int:document_id>/", views.document_download, name="document"),
    path("<int:campaign_id>/partners/", views.partner_invite, name="partner_invite"),
    path(
        "<int:campaign_id>/partners/<int:partner_id>/", views.partner_accept, name="partner_accept"
    ),
    path("mine/", views.my_campaigns, name="mine"),
    path("tasks/<int:task_id>/sub/", views.subcampaign_create, name="subcampaign"),
    path(
        "tasks/<int:task_id>/reflections/<int:reflection_id>/file/",
        views.reflection_file,
        name="reflection_file",
    ),
    path("sessions/<int:session_id>/photos/<int:photo_id>/", views.session_photo, name="photo"),
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
    path(
        "assist/<int:membership_id>/sessions/<int:session_id>/check-in/",
        views.check_in_for,
        name="check_in_for",
    ),
    path("sessions/<int:session_id>/qr/", views.session_qr, name="session_qr"),
    path("sessions/<int:session_id>/minutes/", views.session_minutes, name="session_minutes"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("scan-saved/", views.scan_saved, name="scan_saved"),
    path("checkin-offline/", views.checkin_offline, name="checkin_offline"),
    path("sessions/<int:session_id>/shown/", views.session_shown, name="session_shown"),
]
