from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedingConfig(AppConfig):
    name = "ankommen.seeding"
    label = "seeding"
    verbose_name = _("Demo- und Testdaten")
