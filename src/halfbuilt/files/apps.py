from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "halfbuilt.files"
    verbose_name = _("附件")

    def ready(self) -> None:
        from halfbuilt.audit import registry
        from halfbuilt.ledger.panels import register_panel

        from .views import project_panel

        registry.register(
            actions={"attach": _("上传附件")},
            keys={
                "attachment_id": _("附件编号"), "original_name": _("原文件名"), "kind": _("附件类别"),
                "content_type": _("文件类型"), "size": _("大小（字节）"),
                "sha256": "SHA-256", "gps_latitude": _("纬度"), "gps_longitude": _("经度"), "file": _("存储位置"),
            },
        )
        register_panel(40, "files/_panel.html", project_panel)
