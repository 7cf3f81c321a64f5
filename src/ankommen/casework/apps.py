from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "ankommen.casework"
    label = "casework"
    verbose_name = _("Migrationssozialarbeit")

    def ready(self) -> None:
        # Counselling contacts and referrals appear in the household timeline.
        from ankommen.casework import timeline  # noqa: F401
