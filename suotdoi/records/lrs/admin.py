from django.contrib import admin

from .models import LearningUnitType


@admin.register(LearningUnitType)
class LearningUnitTypeAdmin(admin.ModelAdmin):
    """Which xAPI activity types make learning entries: administrators add and switch off."""

    list_display = ["label", "iri", "entry_kind", "active"]
    list_editable = ["active"]
    search_fields = ["label", "iri"]
