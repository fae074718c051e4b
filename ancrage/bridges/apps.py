from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BridgesConfig(AppConfig):
    name = "ancrage.bridges"
    label = "bridges"
    verbose_name = _("Foundation programmes")
