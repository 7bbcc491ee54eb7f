from django.urls import path

from . import content

app_name = "pkg"
urlpatterns = [
    path("l/<str:token>/", content.player, name="player"),
    path("l/<str:token>/c/<path:path>", content.package_file, name="file"),
    path("l/<str:token>/commit", content.commit, name="commit"),
    path("l/<str:token>/fetch", content.fetch, name="fetch"),
]
