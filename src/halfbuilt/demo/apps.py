from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "halfbuilt.demo"
    verbose_name = "演示数据"

    def ready(self) -> None:
        from halfbuilt.audit import registry

        from .accounts import VIA

        # What users read as the source of every change the demo made (timeline, audit search).
        registry.register(vias={VIA: "演示数据"})
