from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Lti13Config(AppConfig):
    name = "ancrage.exports.lti13"
    label = "lti13"
    verbose_name = _("LTI 1.3 tool")
