from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "suotdoi.api"
    label = "api"
