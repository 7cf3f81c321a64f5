from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ankommen.privacy"
    label = "privacy"
    verbose_name = _("Datenschutz")

    def ready(self) -> None:
        # The audit log's entries about a person (export only); see audit_source.py.
        from ankommen.privacy import audit_source  # noqa: F401
