from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ankommen.audit"
    label = "audit"
    verbose_name = _("Protokoll")

    def ready(self) -> None:
        from ankommen.audit import signals  # noqa: F401  (connects the auth signal receivers)
