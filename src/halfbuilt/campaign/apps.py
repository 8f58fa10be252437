from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "halfbuilt.campaign"
    label = "campaign"
    verbose_name = _("起底行动")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger import coverage
        from halfbuilt.ledger.panels import register_candidates_note, register_panel

        from . import selectors
        from .panel import candidates_note, criteria_panel
        from .services import ACTION_LABELS, KEY_LABELS

        coverage.register(selectors.scope_rule)
        registry.register(actions=ACTION_LABELS, keys=KEY_LABELS)
        register_panel(5, "campaign/_criteria_panel.html", criteria_panel)
        register_candidates_note("campaign/_criteria_note.html", candidates_note)
