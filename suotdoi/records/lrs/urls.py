from django.urls import path

from .learner import link_request_api
from .views import endpoint

app_name = "lrs"
urlpatterns = [
    path("statements", endpoint("statements"), name="statements"),
    path("activities/state", endpoint("state"), name="state"),
    path("activities/profile", endpoint("activity_profile"), name="activity_profile"),
    path("agents/profile", endpoint("agent_profile"), name="agent_profile"),
    path("activities", endpoint("activities"), name="activities"),
    path("agents", endpoint("agents"), name="agents"),
    path("about", endpoint("about"), name="about"),
    path("links", link_request_api, name="links"),
]
