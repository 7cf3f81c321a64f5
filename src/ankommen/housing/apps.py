from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "ankommen.housing"
    label = "housing"
    verbose_name = _("Unterbringung")

    def ready(self) -> None:
        # Moves appear in the household timeline.
        from ankommen.housing import timeline  # noqa: F401
