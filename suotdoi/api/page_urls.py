from django.urls import path

from . import views, webhook_views

app_name = "api_pages"
urlpatterns = [
    # The OAuth 2.0 token endpoint sits beside the API it opens (/api/v1/…).
    path("api/v1/oauth/token", views.oauth_token, name="oauth_token"),
    path("units/<int:unit_id>/api-access/", views.unit_tokens, name="unit_tokens"),
    path("api-access/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("units/<int:unit_id>/webhooks/", webhook_views.unit_webhooks, name="unit_webhooks"),
    path("webhooks/<int:subscription_id>/end/", webhook_views.webhook_end, name="webhook_end"),
]
