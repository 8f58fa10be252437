"""Open data: the public projects as an OC4IDS 0.9 project package (JSON) and as a CSV for Excel.

Both are built from `selectors.public_projects()` and `describe()` — the portal's own selector and whitelist — so a
classified, unconfirmed, rejected or voided project, and any personal field, are absent by construction.
Mapping (docs/portal.md): money in 万元 → CNY; the ledger's partial dates → the first moment they cover (China
time); 未完工停建 and projects being disposed of → `implementation`, 已竣工未投用 and closed projects → `completion`
(a closed 依法拆除 → `decommissioned`); the confirmed plan's milestones; the last monthly report's 形象进度 as a
physicalProgress metric and the completed investment as financialProgress.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from halfbuilt.disposal.models import Method
from halfbuilt.ledger.models import Kind, Stage
from halfbuilt.regions.models import Department

from .selectors import PublicProject, describe, public_projects

VERSION = "0.9"
WAN = Decimal(10000)  # yuan in one 万元
CHUNK = 500
LEDGER_SCHEME = "CN-HALFBUILT-LEDGER"  # our 台账编号 (open codelist: a scheme of our own, documented)
PROJECT_CODE_SCHEME = "CN-TZXM"  # 全国投资项目在线审批监管平台 项目代码
REGION_GAZETTEER = "CN-GB2260"  # 行政区划代码
CATEGORY_SCHEME = "CN-HALFBUILT-CATEGORY"
USCC_SCHEME = "CN-USCC"  # 统一社会信用代码 (GB 32100)


def project_id(p: PublicProject) -> str:
    return f"{settings.OC4IDS_PREFIX}-{p.ledger_no}"


def page_url(p: PublicProject) -> str:
    return settings.PUBLIC_SITE_URL.rstrip("/") + reverse("public:project_detail", args=[p.id])


def moment(value: str | date | None) -> str | None:
    """A partial ledger date (YYYY, YYYY-MM, YYYY-MM-DD) or a date as the first moment it covers, in China time."""
    if not value:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    parts = [int(x) for x in text.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    return datetime(year, month, day, tzinfo=timezone.get_default_timezone()).isoformat()


def cny(value: Decimal | None) -> dict | None:
    if value is None:
        return None
    return {"amount": float((value * WAN).quantize(Decimal("0.01"))), "currency": "CNY"}


def status(p: PublicProject) -> str:
    if p.stage == Stage.CLOSED:
        return "decommissioned" if p.method == Method.DEMOLISH else "completion"
    return "completion" if p.kind == Kind.IDLE else "implementation"


def project(p: PublicProject, departments: dict[str, str], department_code: str | None) -> dict:
    """One project of the package: empty values are left out (libcoveoc4ids' empty-value check)."""
    region = p.prefecture_name if p.prefecture_code and p.prefecture_code != p.region_code else ""
    location = {
        "id": "1",
        "description": p.address or p.region_name,
        "gazetteer": {"scheme": REGION_GAZETTEER, "identifiers": [p.region_code]},
        "address": _clean({"streetAddress": p.address, "locality": p.region_name, "region": region,
                           "countryName": _("中国")}),
    }
    if p.longitude is not None and p.latitude is not None:
        location["geometry"] = {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]}
    parties = []
    if department_code and department_code in departments:
        parties.append({"id": f"department-{department_code}", "name": departments[department_code],
                        "roles": ["administrativeEntity"]})
    authority = None
    if p.owner_unit:
        authority = {"id": f"uscc-{p.owner_uscc}", "name": p.owner_unit}
        parties.append({**authority, "identifier": {"scheme": USCC_SCHEME, "id": p.owner_uscc,
                                                     "legalName": p.owner_unit}, "roles": ["publicAuthority"]})
    identifiers = [{"scheme": LEDGER_SCHEME, "id": p.ledger_no}]
    if p.project_code:
        identifiers.append({"scheme": PROJECT_CODE_SCHEME, "id": p.project_code})
    metrics = []
    if p.last_report:
        metrics.append({"id": "physicalProgress", "title": _("形象进度"), "observations": [{
            "id": p.last_report.period, "measure": float(p.last_report.physical_progress), "unit": {"name": "%"},
            "period": {"startDate": moment(p.last_report.period)}, "notes": p.last_report.progress or None}]})
    if p.completed_investment is not None:
        metrics.append({"id": "financialProgress", "title": _("已完成投资"), "observations": [{
            "id": "cumulative", "value": cny(p.completed_investment)}]})
    milestones = [_clean({"id": str(i), "title": m.title, "type": "delivery", "dueDate": moment(m.due_date),
                          "dateMet": moment(m.met_date), "status": "met" if m.met else (
                              "notMet" if m.due_date < timezone.localdate() else "scheduled")})
                  for i, m in enumerate(p.milestones, 1)]
    return _clean({
        "id": project_id(p),
        "updated": p.updated_at.isoformat() if p.updated_at else None,
        "title": p.name,
        "description": p.content,
        "status": status(p),
        "type": "construction",
        "identifiers": identifiers,
        "additionalClassifications": [{"scheme": CATEGORY_SCHEME, "id": p.category_code,
                                       "description": p.category_name}],
        "locations": [location],
        "budget": {"amount": cny(p.total_investment)} if p.total_investment is not None else None,
        "period": _clean({"startDate": moment(p.start_date), "endDate": moment(p.planned_completion)}),
        "completion": _clean({"endDate": moment(p.completion_date)}) if p.kind == Kind.IDLE else None,
        "publicAuthority": authority,
        "parties": parties,
        "milestones": milestones,
        "metrics": metrics,
        "documents": [{"id": "page", "documentType": "projectScope", "title": _("项目公开页面"),
                       "url": page_url(p)}],
    })


def _clean(data: dict) -> dict:
    """Without None, "" and empty lists or objects: OC4IDS wants an absent field rather than an empty one."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def described() -> Iterator[tuple[PublicProject, str | None]]:
    """Every public project, described, with its competent department's code, in ledger order, by chunks."""
    last = 0
    while True:
        chunk = list(public_projects().filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        departments = {p.pk: p.department_id for p in chunk}
        for item in describe(chunk, detail=True):
            yield item, departments[item.id]
        last = chunk[-1].pk


def package() -> dict:
    departments = dict(Department.objects.values_list("code", "name"))
    base = settings.PUBLIC_SITE_URL.rstrip("/")
    return {
        "uri": base + reverse("public:oc4ids"),
        "publishedDate": timezone.now().replace(microsecond=0).isoformat(),
        "publisher": {"name": str(_("半拉子工程大起底工作领导小组办公室"))},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publicationPolicy": base + reverse("public:open_data"),
        "version": VERSION,
        "projects": [project(p, departments, code) for p, code in described()],
    }


def csv_headers() -> list[str]:
    return [_("台账编号"), _("项目代码"), _("项目名称"), _("所属盟市"), _("所在地区"), _("行政区划代码"), _("建设地点"),
            _("经度"), _("纬度"), _("项目类别"), _("类型"), _("处置阶段"), _("处置方式"), _("计划完成时间"),
            _("总投资（万元）"), _("已完成投资（万元）"), _("形象进度（%）"), _("最近月度进展"), _("项目公开页面")]


def _cell(value) -> str:
    """A cell that a spreadsheet would read as a formula is neutralised, as the ledger's export does."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def csv_text() -> str:
    """The same projects as a CSV (UTF-8 with BOM, which Excel and WPS open as such)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(csv_headers())
    for p, _code in described():
        report = p.last_report
        writer.writerow([_cell(v) for v in (
            p.ledger_no, p.project_code, p.name, p.prefecture_name, p.region_name, p.region_code, p.address,
            p.longitude, p.latitude, p.category_name, p.kind_label, p.stage_label, p.method_label,
            p.planned_completion.isoformat() if p.planned_completion else "",
            p.total_investment, p.completed_investment,
            report.physical_progress if report else "", report.progress if report else "", page_url(p))])
    return out.getvalue()
