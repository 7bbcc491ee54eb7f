from django.urls import path

from . import views

app_name = "stories"
urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("s/<str:public_id>/", views.public_story, name="public_story"),
    path(
        "s/<str:public_id>/photos/<int:photo_id>/<str:size>.jpg",
        views.public_photo,
        name="public_photo",
    ),
    path("units/<int:unit_id>/", views.unit_public, name="unit_public"),
    path("units/<int:unit_id>/manage/", views.manage, name="manage"),
    path("nominate/<int:membership_id>/", views.nominate, name="nominate"),
    path("units/<int:unit_id>/nominate/", views.nominate_unit, name="nominate_unit"),
    path("mine/", views.mine, name="mine"),
    path("<int:story_id>/", views.edit, name="edit"),
    path("<int:story_id>/consent/", views.consent, name="consent"),
    path("<int:story_id>/photos/<int:photo_id>/<str:size>.jpg", views.photo, name="photo"),
]
