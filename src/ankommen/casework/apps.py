from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "ankommen.casework"
    label = "casework"
    verbose_name = _("Migrationssozialarbeit")

    def ready(self) -> None:
        # Counselling contacts and referrals appear in the household timeline.
        # Cases, contacts, referrals and goals in the access export and the retention run
        # (docs/privacy.md).
        from ankommen.casework import (
            privacy,  # noqa: F401
            timeline,  # noqa: F401
        )
