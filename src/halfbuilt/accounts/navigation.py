"""The site menu: one table of entries, each shown to whoever holds its scope action or admin duty.

An entry names what it needs: scope actions of `accounts.scope.ACTIONS` ("view", "plan_draft" …) or one of
the duties below that are not project actions. A user sees the entry when any of them applies. The pages
themselves still check through the scope selector; the menu only leaves out what would be refused.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import scope


def _sees_circulars(user) -> bool:
    from halfbuilt.supervision.circulars.scope import sees_any  # the app's own scope decides

    return sees_any(user)


def _moderates_tipoffs(user) -> bool:
    from halfbuilt.tipoffs.scope import moderates  # the app's own scope decides

    return moderates(user)


def _submits(user) -> bool:
    return scope.submit_regions_q(user) != scope.NOTHING


# Duties that are not scope actions on a project.
DUTIES: dict[str, Callable[[object], bool]] = {
    "signed_in": lambda user: user.is_authenticated,
    "submit": _submits,  # put new projects into the ledger (form or import)
    "audit": scope.can_read_audit,  # the change log and the sign-in log (安全审计员)
    "administer": scope.can_administer,  # organisations and users (系统管理员)
    "secure": scope.can_secure,  # the security policy and the security events (安全管理员)
    "circulars": _sees_circulars,  # the office, and whoever a published 通报 is addressed to
    "tipoffs": _moderates_tipoffs,  # the office and the regions' governments: tip-offs of their place
}
CLOSURE_ACTIONS = ("closure_request", "closure_review", "close", "followup")


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    needs: tuple[str, ...]
    group: str = ""  # the menu's section (below); "" stands on its own


# The sections of the menu, in order: a section the user sees one entry of shows that entry on its own.
FILING = _("填报")
DISPOSAL = _("处置销号")
SUPERVISION = _("督促检查")
CAMPAIGN = _("起底行动")
PREVENTION = _("防范与起底")
AUDIT = _("安全审计")
ADMINISTRATION = _("系统管理")
SECURITY = _("安全管理")


MENU: tuple[MenuEntry, ...] = (
    MenuEntry(_("工作台"), "home", ("signed_in",)),
    MenuEntry(_("项目台账"), "ledger:project_list", ("view",)),
    MenuEntry(_("调度看板"), "dashboard:page", ("dashboard",)),
    MenuEntry(_("新增项目"), "ledger:project_create", ("submit",), FILING),
    MenuEntry(_("导入台账"), "ledger:import_upload", ("submit",), FILING),
    MenuEntry(_("项目代码重复"), "ledger:code_clashes", ("confirm",), FILING),
    MenuEntry(_("处置方案"), "disposal:queue", ("plan_draft", "plan_review", "plan_confirm"), DISPOSAL),
    MenuEntry(_("月度进展"), "progress:queue", ("view",), DISPOSAL),
    MenuEntry(_("销号"), "closure:queue", CLOSURE_ACTIONS, DISPOSAL),
    MenuEntry(_("绿色通道"), "greenchannel:index", ("view",), DISPOSAL),
    MenuEntry(_("督办"), "orders:issued", ("supervise",), SUPERVISION),
    MenuEntry(_("主送督办"), "orders:inbox", ("view",), SUPERVISION),
    MenuEntry(_("督办总览"), "orders:overview", ("dashboard",), SUPERVISION),
    MenuEntry(_("通报"), "circulars:list", ("circulars",), SUPERVISION),
    MenuEntry(_("预警规则"), "lights:settings", ("lights_configure",), SUPERVISION),
    MenuEntry(_("新闻与案例"), "public:office_stories", ("publicity",), SUPERVISION),
    MenuEntry(_("线索举报"), "tipoffs:queue", ("tipoffs",), SUPERVISION),
    MenuEntry(_("起底行动"), "campaign:overview", ("view",), CAMPAIGN),
    MenuEntry(_("实施方案"), "campaign:filings", ("campaign_review", "campaign_file"), CAMPAIGN),
    MenuEntry(_("行业标准"), "campaign:criteria", ("view",), CAMPAIGN),
    MenuEntry(_("拟建项目"), "prevention:proposals", ("prevention_propose",), PREVENTION),
    MenuEntry(_("停建预警"), "prevention:watch", ("prevention_watch",), PREVENTION),
    MenuEntry(_("清单比对"), "prevention:reconcile", ("reconcile",), PREVENTION),
    MenuEntry(_("疑似重复"), "prevention:merges", ("prevention_watch",), PREVENTION),
    MenuEntry(_("风险规则"), "prevention:rules", ("prevention_decide",), PREVENTION),
    MenuEntry(_("变更日志"), "audit:changelog_search", ("audit",), AUDIT),
    MenuEntry(_("登录日志"), "audit:signin_events", ("audit",), AUDIT),
    MenuEntry(_("用户管理"), "administration:user_list", ("administer",), ADMINISTRATION),
    MenuEntry(_("单位管理"), "administration:org_list", ("administer",), ADMINISTRATION),
    MenuEntry(_("导入用户"), "administration:import_upload", ("administer",), ADMINISTRATION),
    MenuEntry(_("安全策略"), "administration:policy", ("secure",), SECURITY),
    MenuEntry(_("安全事件"), "administration:security_events", ("secure",), SECURITY),
    MenuEntry(_("双因素认证"), "administration:two_factor_users", ("secure",), SECURITY),
)

# The user menu, beside the user's name in the header (the bell there is the inbox's link).
USER_MENU: tuple[MenuEntry, ...] = (
    MenuEntry(_("通知设置"), "notifications:preferences", ("signed_in",)),
    MenuEntry(_("修改密码"), "password_change", ("signed_in",)),
    MenuEntry(_("双因素认证"), "two_factor_enrol", ("signed_in",)),
)


# The public portal's menu (public/base.html): the same for everyone, signed in or not.
PUBLIC_MENU: tuple[MenuEntry, ...] = (
    MenuEntry(_("首页"), "public:home", ()),
    MenuEntry(_("项目名单"), "public:project_list", ()),
    MenuEntry(_("通报督办"), "public:circulars", ()),
    MenuEntry(_("新闻案例"), "public:stories", ()),
    MenuEntry(_("开放数据"), "public:open_data", ()),
    MenuEntry(_("我要反映"), "tipoffs:report", ()),  # tip-offs (线索举报)
)


def public_menu_for(path: str) -> list[dict]:
    """The portal's entries with their URLs; the current one is the entry whose address `path` starts with."""
    items = [{"label": e.label, "url": reverse(e.url_name)} for e in PUBLIC_MENU]
    best = max((i for i in items if path.startswith(i["url"])), key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["current"] = item is best
    return items


def holds(user, need: str) -> bool:
    """Whether `user` has the duty or scope action `need`."""
    if need in DUTIES:
        return bool(DUTIES[need](user))
    if need not in scope.ACTIONS:
        raise ValueError(f"unknown menu requirement {need!r}")
    return scope.holds_action(user, need)


def entries_for(user, menu: tuple[MenuEntry, ...] = MENU) -> list[MenuEntry]:
    if user is None or not user.is_authenticated:
        return []
    return [entry for entry in menu if any(holds(user, need) for need in entry.needs)]


def menu_for(user, path: str, menu: tuple[MenuEntry, ...] = MENU) -> list[dict]:
    """The entries `user` sees, with their URLs and whether the page at `path` is theirs (aria-current)."""
    items = []
    for entry in entries_for(user, menu):
        url = reverse(entry.url_name)
        items.append({"label": entry.label, "url": url, "current": url == path, "group": entry.group})
    return items


def sections(items: list[dict]) -> list[dict]:
    """The menu as the header shows it: entries on their own, and each section the user sees two or more entries
    of as one item that opens to them (`entries`), in the table's order, marked current when one of them is."""
    shown: list[dict] = []
    by_group: dict[str, dict] = {}
    for item in items:
        group = item["group"]
        if not group:
            shown.append(item)
        elif group in by_group:
            by_group[group]["entries"].append(item)
        else:
            by_group[group] = {"label": group, "entries": [item]}
            shown.append(by_group[group])
    for section in by_group.values():
        section["current"] = any(entry["current"] for entry in section["entries"])
    return [s["entries"][0] if "entries" in s and len(s["entries"]) == 1 else s for s in shown]


def user_menu_for(user, path: str) -> list[dict]:
    return menu_for(user, path, USER_MENU)
