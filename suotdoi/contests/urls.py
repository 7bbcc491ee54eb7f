from django.urls import path

from . import views

app_name = "contests"
urlpatterns = [
    path("", views.contest_list, name="list"),
    path("<int:contest_id>/", views.contest, name="contest"),
    path("<int:contest_id>/units/", views.units, name="units"),
    path("<int:contest_id>/manage/", views.manage, name="manage"),
    path("sittings/<int:sitting_id>/", views.sitting, name="sitting"),
    path("a/<str:token>/", views.answer, name="answer"),
    path("s/<str:token>/", views.start, name="start"),
    path("sittings/<int:sitting_id>/result/", views.result, name="result"),
    path("sittings/<int:sitting_id>/review/", views.review, name="review"),
    path("rounds/<int:round_id>/", views.ranking, name="ranking"),
    path("rounds/<int:round_id>/publish/", views.publish, name="publish"),
    path("rounds/<int:round_id>/results.json", views.results_json, name="results_json"),
    path("rounds/<int:round_id>/certificates/", views.certificates, name="certificates"),
    path("units/<int:unit_id>/", views.unit_contests, name="unit"),
]
