"""The campaign's work queues for the home page: 实施方案 to review (the office), to file and returned (filers)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import carries
from halfbuilt.core.queues import QueueCount

from .models import FilingStatus, PlanFiling


def _mine(user):
    return PlanFiling.objects.restrict(user).filter(campaign__current=True)


def to_review(user):
    return _mine(user).filter(status=FilingStatus.SUBMITTED)


def to_file(user):
    return _mine(user).filter(status=FilingStatus.PENDING)


def returned(user):
    return _mine(user).filter(status=FilingStatus.RETURNED)


def not_filed(user) -> tuple[QueueCount, list[str]] | None:
    """Who has not filed its 实施方案 yet, by name (the office's figure on the dashboard; None for anyone else),
    linking to the filings page filtered alike."""
    if not carries(user, "campaign_review"):
        return None
    names = list(to_file(user).values_list("organization__name", flat=True))
    url = f"{reverse('campaign:filings')}?status={FilingStatus.PENDING}"
    return QueueCount("campaign_not_filed", _("实施方案未报送"), len(names), url,
                      _("行业主管部门和盟市尚未报送实施方案"), urgent=True), names


def queue_counts(user) -> list[QueueCount]:
    page = reverse("campaign:filings")
    items = []
    if carries(user, "campaign_review"):
        items.append(QueueCount("campaign_to_review", _("实施方案待审核"), to_review(user).count(),
                                f"{page}?status={FilingStatus.SUBMITTED}", _("审核通过，或提出意见退回修改")))
    elif carries(user, "campaign_file") and _mine(user).exists():  # only an expected filer has this work
        items.append(QueueCount("campaign_to_file", _("实施方案待报送"), to_file(user).count(), page,
                                _("制定本行业、本地区处置工作实施方案并报送领导小组办公室")))
        items.append(QueueCount("campaign_returned", _("实施方案被退回"), returned(user).count(), page,
                                _("按审核意见修改后重新报送"), urgent=True))
    return items
