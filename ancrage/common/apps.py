from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "ancrage.common"
    label = "common"
