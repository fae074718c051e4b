from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "ancrage.privacy"
    label = "privacy"
