from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Microsoft365Config(AppConfig):
    name = "ancrage.microsoft365"
    label = "microsoft365"
    verbose_name = _("Microsoft 365")
