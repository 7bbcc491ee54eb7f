"""Read-only views for platform staff. Keys show their public half only; writes go through the
unit pages, which audit them."""

from django.contrib import admin

from .models import Credential, Issuer, IssuerKey


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Issuer)
class IssuerAdmin(ReadOnly):
    list_display = ["name", "unit", "signer_name", "created_at"]
    search_fields = ["name"]
    fields = ["name", "unit", "url", "email", "signer_name", "signer_title", "auto_issue_kinds"]


@admin.register(IssuerKey)
class IssuerKeyAdmin(ReadOnly):
    list_display = ["did", "issuer", "created_at", "retired_at"]
    fields = ["issuer", "did", "public_multibase", "created_at", "retired_at"]  # never the secret
    readonly_fields = fields


@admin.register(Credential)
class CredentialAdmin(ReadOnly):
    list_display = ["uid", "achievement", "person", "issued_at", "revoked_at"]
    list_select_related = ["achievement", "person"]
    fields = ["uid", "achievement", "person", "key", "issued_at", "revoked_at", "revoke_reason"]
    readonly_fields = fields
