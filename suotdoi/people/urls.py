from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("data.json", views.my_data, name="my_data"),
    path("new-password/", views.new_password, name="new_password"),
    path("erase/", views.erase, name="erase"),
    path("consents/", views.consents, name="consents"),
    path("notifications/", views.delivery, name="delivery"),
    path("notifications/push/", views.push_subscribe, name="push_subscribe"),
]
