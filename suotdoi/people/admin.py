from django.contrib import admin

from .models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "phone", "email", "is_active", "is_staff"]
    search_fields = ["search_text"]
    exclude = ["password", "national_id_cipher", "national_id_hash"]
    readonly_fields = ["last_login", "date_joined"]
