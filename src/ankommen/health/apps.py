from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "ankommen.health"
    label = "health"
    verbose_name = _("Gesundheit")

    def ready(self) -> None:
        # The health record in the access export and the retention run (docs/privacy.md).
        from ankommen.health import privacy  # noqa: F401
