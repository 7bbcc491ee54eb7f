from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "suotdoi.demo"
    label = "demo"
