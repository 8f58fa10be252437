from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    name = "halfbuilt.administration"
    verbose_name = _("系统管理")

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from . import signals  # noqa: F401  (password history on every password set)
        from .labels import ACTIONS, KEYS

        registry.register(actions=ACTIONS, keys=KEYS, admin_actions=set(ACTIONS))
