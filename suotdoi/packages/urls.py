from django.urls import path

from . import views

app_name = "packages"
urlpatterns = [
    path("lessons/<int:lesson_id>/", views.play, name="play"),
    path("courses/<int:course_id>/", views.upload, name="upload"),
    path("providers/<int:unit_id>/new/", views.new_course, name="new_course"),
    path("<int:package_id>/report/", views.report, name="report"),
    path("<int:package_id>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:package_id>/delete/", views.delete, name="delete"),
]
