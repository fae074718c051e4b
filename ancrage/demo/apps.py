from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ancrage.demo"
    label = "demo"
