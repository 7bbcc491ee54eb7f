from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "suotdoi.core"
    label = "core"
