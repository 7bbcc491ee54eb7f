from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("funds/<int:fund_id>/courses/<int:course_id>/", views.spend, name="spend"),
    path("spends/<int:spend_id>/cancel/", views.spend_cancel, name="spend_cancel"),
    path("units/<int:unit_id>/", views.unit_funds, name="unit_funds"),
    path("funds/<int:fund_id>/", views.fund_detail, name="fund"),
    path("spends/<int:spend_id>/decide/", views.spend_decide, name="spend_decide"),
]
