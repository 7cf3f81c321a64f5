from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "ankommen.housing"
    label = "housing"
    verbose_name = _("Unterbringung")

    def ready(self) -> None:
        # Moves appear in the household timeline.
        # Housing data in the access export and the retention run (docs/privacy.md).
        from ankommen.housing import (
            privacy,  # noqa: F401
            timeline,  # noqa: F401
        )
