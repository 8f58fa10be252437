from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipOffsConfig(AppConfig):
    name = "halfbuilt.tipoffs"
    label = "tipoffs"
    verbose_name = _("线索举报")

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from .labels import ACTION_LABELS, KEY_LABELS, VIA_LABELS
        from .models import PERSONAL

        registry.register(actions=ACTION_LABELS, keys=KEY_LABELS, vias=VIA_LABELS, personal=PERSONAL)
