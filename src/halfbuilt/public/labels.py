"""The change log's words for the portal's writes (registered with audit.registry)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "photo_publish": _("公开照片"),
    "photo_unpublish": _("撤回公开照片"),
    "order_publish": _("公开督办"),
    "order_unpublish": _("撤回公开督办"),
    "story_save": _("编辑新闻与案例"),
    "story_publish": _("发布新闻与案例"),
    "story_unpublish": _("撤回新闻与案例"),
}
KEY_LABELS = {
    "caption": _("说明"), "photo": _("照片"), "order": _("督办"), "kind": _("栏目"), "title": _("标题"),
    "summary": _("摘要"), "body": _("正文"), "published": _("已发布"),
}
