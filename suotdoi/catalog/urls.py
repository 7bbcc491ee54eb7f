from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/<int:course_id>/", views.course_detail, name="course"),
    path("courses/<int:course_id>/enrol/", views.course_enrol, name="enrol"),
    path("courses/<int:course_id>/cancel/", views.course_cancel, name="cancel"),
    path("courses/<int:course_id>/lessons/<int:lesson_id>/", views.lesson, name="lesson"),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/file",
        views.lesson_file,
        name="lesson_file",
    ),
    path("courses/<int:course_id>/quiz/", views.quiz, name="quiz"),
    path("courses/<int:course_id>/offline/", views.offline_reader, name="offline"),
    path("courses/<int:course_id>/offline.json", views.offline_bundle, name="offline_bundle"),
    path("courses/<int:course_id>/offline/send/", views.offline_send, name="offline_send"),
    path("providers/<int:unit_id>/", views.provider_page, name="provider"),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<int:resource_id>/file", views.resource_file, name="resource_file"),
    path("resources/<int:resource_id>/studied/", views.resource_studied, name="studied"),
    path("manage/<int:unit_id>/", views.manage, name="manage"),
    path("manage/courses/<int:course_id>/", views.manage_course, name="manage_course"),
]
