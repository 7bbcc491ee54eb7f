from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("", views.my_credentials, name="mine"),
    path("verify/", views.verify, name="verify"),
    path("s/<str:token>/", views.shared, name="shared"),
    path("c/<str:uid>/<str:digest>/", views.check, name="check"),
    path("status/<uuid:uid>", views.status_list, name="status_list"),
    path("achievements/<uuid:uid>/", views.achievement, name="achievement"),
    path("unit/<int:unit_id>/", views.unit_credentials, name="unit"),
    path("unit/<int:unit_id>/issue/<int:entry_id>/", views.unit_issue_entry, name="unit_issue"),
    path("unit/<int:unit_id>/issue-all/", views.unit_issue_all, name="unit_issue_all"),
    path("unit/<int:unit_id>/revoke/<str:uid>/", views.unit_revoke, name="unit_revoke"),
    path("unit/<int:unit_id>/rotate-key/", views.unit_rotate_key, name="unit_rotate_key"),
    path("unit/<int:unit_id>/endorse/", views.unit_endorse_list, name="unit_endorse"),
    path("unit/<int:unit_id>/endorse/<str:uid>/", views.unit_endorse, name="unit_endorse_one"),
    path("<str:uid>/", views.detail, name="detail"),
    path("<str:uid>/credential.json", views.download_json, name="json"),
    path("<str:uid>/certificate.pdf", views.download_pdf, name="pdf"),
    path("<str:uid>/share/", views.share, name="share"),
]
