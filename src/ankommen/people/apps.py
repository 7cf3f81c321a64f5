from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ankommen.people"
    label = "people"
    verbose_name = _("Personen und Haushalte")

    def ready(self) -> None:
        # The person's data in the access export and the retention run (docs/privacy.md).
        from ankommen.people import privacy  # noqa: F401
