"""The office's home-page queue: its 通报 drafts (addressees get published ones through the inbox)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.core.queues import QueueCount

from . import selectors
from .scope import office_orgs


def queue_counts(user) -> list[QueueCount]:
    if not office_orgs(user):
        return []
    return [QueueCount("circular_drafts", _("通报草稿"), selectors.drafts(user).count(),
                       f"{reverse('circulars:list')}?status=draft", _("修改文字、核对数据后发布"), standing=False)]
