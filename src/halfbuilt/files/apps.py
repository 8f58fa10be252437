from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "halfbuilt.files"
    verbose_name = "附件"

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from .views import project_panel

        registry.register(
            actions={"attach": "上传附件"},
            keys={
                "attachment_id": "附件编号", "original_name": "原文件名", "kind": "附件类别",
                "content_type": "文件类型", "size": "大小（字节）",
                "sha256": "SHA-256", "gps_latitude": "纬度", "gps_longitude": "经度", "file": "存储位置",
            },
        )
        register_panel(40, "files/_panel.html", project_panel)
