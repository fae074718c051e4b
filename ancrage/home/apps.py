from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "ancrage.home"
    label = "home"
