"""The states of a green-channel request and of its items (the kernel's tables are in workflow.py), apart from
the models so the scope and the clocks can use them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    CONCLUDED = "concluded", _("已办结")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待受理")
    PROCESSING = "processing", _("办理中")
    SUPPLEMENT = "supplement", _("需补正")
    DONE = "done", _("已办结")
    REFUSED = "refused", _("不予办理")


# The clock runs in these (received, not yet decided, nothing owed by the unit); it stops in 需补正.
RUNNING = (ItemStatus.PENDING, ItemStatus.PROCESSING)
OPEN_ITEM = (*RUNNING, ItemStatus.SUPPLEMENT)
FINAL = (ItemStatus.DONE, ItemStatus.REFUSED)


class Level(models.TextChoices):
    """At which level an authority grants a procedure (the project's county, its league/city, the region)."""

    COUNTY = "county", _("旗县级")
    PREFECTURE = "prefecture", _("盟市级")
    PROVINCE = "province", _("自治区级")


class EventAction(models.TextChoices):
    """The steps of an item's timeline after its receipt."""

    ACCEPT = "accept", _("受理")
    SUPPLEMENT = "supplement", _("要求补正")
    SUPPLY = "supply", _("提交补正材料")
    COMPLETE = "complete", _("办结")
    REFUSE = "refuse", _("不予办理")
