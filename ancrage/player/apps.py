from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlayerConfig(AppConfig):
    name = "ancrage.player"
    label = "player"
    verbose_name = _("Player")
