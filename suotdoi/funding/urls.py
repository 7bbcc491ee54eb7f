from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("funds/<int:fund_id>/courses/<int:course_id>/", views.spend, name="spend"),
    path("spends/<int:spend_id>/cancel/", views.spend_cancel, name="spend_cancel"),
    path(
        "assist/<int:membership_id>/funds/<int:fund_id>/courses/<int:course_id>/",
        views.assist_spend,
        name="assist_spend",
    ),
    path("units/<int:unit_id>/", views.unit_funds, name="unit_funds"),
    path("funds/<int:fund_id>/", views.fund_detail, name="fund"),
    path("spends/<int:spend_id>/decide/", views.spend_decide, name="spend_decide"),
    path("funds/<int:fund_id>/report.xlsx", views.fund_report, name="fund_report"),
    path("funds/<int:fund_id>/month.pdf", views.fund_month_report, name="fund_month_report"),
    path("providers/<int:unit_id>/", views.provider_payments, name="provider"),
    path("providers/<int:unit_id>/statement.xlsx", views.provider_report, name="provider_report"),
]
