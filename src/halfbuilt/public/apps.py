from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "halfbuilt.public"
    label = "public"
    verbose_name = _("公开与社会监督")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from .labels import ACTION_LABELS, KEY_LABELS
        from .panel import project_panel

        registry.register(actions=ACTION_LABELS, keys=KEY_LABELS)
        register_panel(90, "public/_panel.html", project_panel)
