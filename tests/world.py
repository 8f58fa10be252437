"""The test world as plain functions: one organization and user per role, and the three projects.

The fixtures of conftest.py build it for each test; the permission matrix builds it once per module
(tests/permission_matrix/world.py). The world: Baotou (150200) with its Donghe district (150202); Chifeng
(150400) as "elsewhere". Departments: education (JYT) at the autonomous region and Baotou levels; public
security (GAT) owns the classified project.
"""

import itertools
from decimal import Decimal

# Every role the matrix knows, with the organization (a key of `organizations()`) where its user holds it.
USER_ROLES = {
    "office": ("office", "office", "office"),
    "department": ("department", "department", "dept_jyt"),
    "department_baotou": ("department", "department_baotou", "dept_baotou_jyt"),
    "department_gat": ("department", "department_gat", "dept_gat"),
    "region": ("region", "region", "gov_baotou"),
    "county": ("region", "county", "gov_donghe"),
    "unit": ("unit", "unit", "unit_school"),
    "sysadmin": ("sysadmin", "admin", "sysadmin"),
    "secadmin": ("secadmin", "admin", "secadmin"),
    "auditor": ("auditor", "admin", "auditor"),
}

_project_numbers = itertools.count(1)


def organizations() -> dict:
    from halfbuilt.accounts.models import Organization, OrgKind

    def get(name, region):
        return Organization.objects.get(name=name, region_id=region)

    baotou_edu, _ = Organization.objects.get_or_create(
        name="包头市教育局", region_id="150200", defaults={"kind": OrgKind.DEPARTMENT, "department_id": "JYT"}
    )
    unit, _ = Organization.objects.get_or_create(
        name="东河区第一中学", region_id="150202", defaults={"kind": OrgKind.UNIT}
    )
    return {
        "office": get("半拉子工程大起底工作领导小组办公室", "150000"),
        "department": get("内蒙古自治区教育厅", "150000"),
        "department_baotou": baotou_edu,
        "department_gat": get("内蒙古自治区公安厅", "150000"),
        "region": get("包头市人民政府", "150200"),
        "county": get("包头市东河区人民政府", "150202"),
        "chifeng": get("赤峰市人民政府", "150400"),
        "unit": unit,
        "admin": get("系统管理", "150000"),
    }


def users(orgs: dict, make_user) -> dict:
    """One user per role (USER_ROLES), made by `make_user(role, organization, username)`."""
    return {key: make_user(role, orgs[org], username) for key, (role, org, username) in USER_ROLES.items()}


def project(**fields):
    from halfbuilt.ledger.models import Project
    from halfbuilt.regions.models import Region

    n = next(_project_numbers)
    region = Region.objects.get(code=fields.pop("region_id", "150202"))
    defaults = {
        "ledger_no": f"T-{n:06d}",
        "name": f"测试项目{n}",
        "region": region,
        "prefecture": region.prefecture,
        "category_id": "A03",
        "department_id": "JYT",
        "kind": "stalled",
        "total_investment": Decimal("1000"),
        "completed_investment": Decimal("400"),
    }
    defaults.update(fields)
    return Project.objects.create(**defaults)


def projects(orgs: dict) -> dict:
    """in_scope: Donghe school (visible to office, JYT both levels, Baotou, Donghe, the unit).
    elsewhere: Chifeng school (office and autonomous-region JYT only).
    classified: a GAT project in Donghe (GAT only)."""
    return {
        "in_scope": project(name="东河区第一中学教学楼", responsible_org=orgs["unit"],
                            responsible_unit="东河区第一中学"),
        "elsewhere": project(name="红山区幼儿园", region_id="150402"),
        "classified": project(name="某业务技术用房", category_id="A02", department_id="GAT", classified=True),
    }
