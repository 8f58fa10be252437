from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "halfbuilt.ledger"
    verbose_name = "台账"
