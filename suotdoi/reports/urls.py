from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("units/<int:unit_id>/dashboard/", views.dashboard, name="dashboard"),
    path("periods/<int:period_id>/", views.period, name="period"),
    path("forms/", views.forms_list, name="forms"),
    path("forms/<int:form_id>/", views.form_detail, name="form"),
    path("<int:report_id>/", views.report, name="report"),
    path("<int:report_id>/review/", views.review, name="review"),
    path("<int:report_id>/report.pdf", views.report_pdf, name="pdf"),
    path("<int:report_id>/report.xlsx", views.report_xlsx, name="xlsx"),
]
