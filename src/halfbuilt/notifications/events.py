"""The event table: every kind of notification, declared once — its key, its Chinese label, the channels it
reaches by default besides the inbox, and how its text reads ("{title}": what the caller names).

In-app delivery is always on; a user's preferences choose e-mail and SMS per event (`Preference`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

INAPP, EMAIL, SMS = "inapp", "email", "sms"
CHANNEL_LABELS = {INAPP: gettext_lazy("站内"), EMAIL: gettext_lazy("电子邮件"), SMS: gettext_lazy("短信")}
# The channels a user may switch on or off (in-app is always on).
OPTIONAL_CHANNELS = (EMAIL, SMS)

# How far ahead the "due soon" reminders look (monthly report, 督办 reply), in days.
DUE_SOON_DAYS = 3

# Groups, as the preferences page shows them.
WAITING = gettext_lazy("等待我办理")
WARNING = gettext_lazy("预警")
REPORTS = gettext_lazy("月度报送")
CIRCULARS = gettext_lazy("通报")
SECURITY = gettext_lazy("安全审计")


@dataclass(frozen=True)
class Event:
    key: str
    label: str
    group: str
    channels: frozenset[str]  # default channels besides the inbox
    text: str  # "{title}" is what the notification names (a project, a 督办, a circular, a summary)

    def render(self, title: str) -> str:
        return str(self.text).format(title=title)


def _event(key: str, label, group, channels: set[str], text) -> Event:
    return Event(key, label, group, frozenset(channels), text)


EVENTS: tuple[Event, ...] = (
    _event("plan_returned", gettext_lazy("方案被退回"), WAITING, {EMAIL},
           gettext_lazy("“{title}”的处置方案被退回修改，请按审核意见修改后重新提交。")),
    _event("plan_review_due", gettext_lazy("方案待审核/待确认"), WAITING, {EMAIL},
           gettext_lazy("“{title}”的处置方案等待您审核或确认。")),
    _event("closure_review_due", gettext_lazy("销号待审核"), WAITING, {EMAIL},
           gettext_lazy("“{title}”的销号申请等待您审核。")),
    _event("review_waiting", gettext_lazy("审核等待超期"), WAITING, {EMAIL},
           gettext_lazy("{title}，请尽快办理。")),
    _event("order_received", gettext_lazy("收到督办"), WAITING, {EMAIL, SMS},
           gettext_lazy("您收到督办“{title}”，请在答复期限前答复。")),
    _event("order_reply_due", format_lazy(gettext_lazy("督办答复{days}天内到期"), days=DUE_SOON_DAYS), WAITING,
           {EMAIL}, format_lazy(gettext_lazy("督办“{{title}}”的答复期限将在{days}天内到期。"), days=DUE_SOON_DAYS)),
    _event("order_reply_overdue", gettext_lazy("督办答复逾期"), WAITING, {EMAIL, SMS},
           gettext_lazy("督办“{title}”已超过答复期限，请尽快答复。")),
    # 绿色通道 (greenchannel/notices.py): each authority its items at once, the unit each decision and the end.
    _event("green_item_received", gettext_lazy("收到绿色通道事项"), WAITING, {EMAIL, SMS},
           gettext_lazy("绿色通道事项“{title}”已送达，请在办理时限内办理。")),
    _event("green_item_supplement", gettext_lazy("绿色通道事项需补正"), WAITING, {EMAIL, SMS},
           gettext_lazy("绿色通道事项“{title}”需要补正材料，补正前暂停计时。")),
    _event("green_item_supplied", gettext_lazy("绿色通道补正材料已提交"), WAITING, {EMAIL},
           gettext_lazy("绿色通道事项“{title}”的补正材料已提交，恢复计时。")),
    _event("green_item_decided", gettext_lazy("绿色通道事项已办理"), WAITING, {EMAIL},
           gettext_lazy("绿色通道事项“{title}”已办理完毕，请查看结果。")),
    _event("green_request_done", gettext_lazy("绿色通道申请全部办结"), WAITING, {EMAIL, SMS},
           gettext_lazy("“{title}”的绿色通道申请所列手续已全部办理完毕。")),
    _event("project_red", gettext_lazy("项目亮红灯"), WARNING, {EMAIL, SMS},
           gettext_lazy("您的项目“{title}”亮起红灯，请查看原因并及时处理。")),
    _event("report_due", format_lazy(gettext_lazy("月度进展{days}天内到期"), days=DUE_SOON_DAYS), REPORTS, {EMAIL},
           gettext_lazy("{title}尚未报送，请在报送期限前完成。")),
    _event("report_late", gettext_lazy("月度进展逾期未报"), REPORTS, {EMAIL, SMS},
           gettext_lazy("{title}已过报送期限仍未报送，请尽快补报。")),
    _event("code_clash", gettext_lazy("项目代码重复"), WAITING, {EMAIL},
           gettext_lazy("项目代码“{title}”被两个以上项目使用，请核实后更正或作废重复登记的项目。")),
    _event("circular_published", gettext_lazy("通报已发布"), CIRCULARS, set(),
           gettext_lazy("领导小组办公室发布了通报“{title}”。")),
    _event("audit_chain_broken", gettext_lazy("变更日志校验未通过"), SECURITY, {EMAIL, SMS},
           gettext_lazy("变更日志的防篡改校验未通过：{title}。请立即核查。")),
)
BY_KEY: dict[str, Event] = {event.key: event for event in EVENTS}


def get(key: str) -> Event:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown notification event {key!r}") from None
