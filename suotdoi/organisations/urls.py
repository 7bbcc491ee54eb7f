from django.urls import path, re_path

from . import corrections, views

app_name = "organisations"
urlpatterns = [
    path("", views.my_units, name="my_units"),
    path("mine/", views.my_memberships, name="my_memberships"),
    path("mine/corrections/", corrections.my_corrections, name="my_corrections"),
    path("<int:unit_id>/corrections/", corrections.unit_corrections, name="unit_corrections"),
    path(
        "<int:unit_id>/corrections/<int:request_id>/",
        corrections.correction_decide,
        name="correction_decide",
    ),
    re_path(
        r"^invitations/(?P<invitation_id>[0-9]+)/(?P<answer>accept|decline)/$",
        views.invitation_answer,
        name="invitation_answer",
    ),
    path(
        "invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("<int:unit_id>/children/", views.unit_children_partial, name="unit_children"),
    path("<int:unit_id>/add/", views.unit_add_child, name="unit_add_child"),
    path("<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:unit_id>/move/", views.unit_move, name="unit_move"),
    path("<int:unit_id>/merge/", views.unit_merge, name="unit_merge"),
    path("<int:unit_id>/members/", views.member_list, name="member_list"),
    path("<int:unit_id>/members/export.xlsx", views.member_export, name="member_export"),
    path("<int:unit_id>/members/add/", views.member_add, name="member_add"),
    path("memberships/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("<int:unit_id>/import/", views.import_start, name="import_start"),
    path("<int:unit_id>/import/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:import_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:import_id>/errors.xlsx", views.import_errors_xlsx, name="import_errors"),
]
