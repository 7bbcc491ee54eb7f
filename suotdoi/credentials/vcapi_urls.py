from django.urls import path

from . import vcapi

app_name = "vcapi"
urlpatterns = [
    path("credentials/issue", vcapi.issue, name="issue"),
    path("credentials/verify", vcapi.verify, name="verify"),
    path("presentations/verify", vcapi.verify_presentation, name="verify_presentation"),
]
