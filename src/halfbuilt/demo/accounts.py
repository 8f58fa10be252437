"""The demo accounts (one per role, with the documented password) and the cast: the user who plays each part
in a project's story."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string

from halfbuilt.accounts.models import Organization, OrgKind, Role, RoleAssignment, User
from halfbuilt.core.request_context import Actor
from halfbuilt.greenchannel.loader import load_greenchannel
from halfbuilt.ledger.models import Project

DEMO_PASSWORD = "BanLaZi@2026"
OFFICE_NAME = "半拉子工程大起底工作领导小组办公室"
UNIT_NAME, UNIT_REGION = "包头市东河区教育局", "150202"
# The change log's 途径 of everything the demo writes; shown as "演示数据" (registered in apps.py).
VIA = "demo"

# username, role, organization name, organization region.
ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("demo_office", Role.OFFICE, OFFICE_NAME, "150000"),
    ("demo_jyt", Role.DEPARTMENT, "内蒙古自治区教育厅", "150000"),
    ("demo_baotou_jyt", Role.DEPARTMENT, "包头市教育局", "150200"),
    ("demo_gat", Role.DEPARTMENT, "内蒙古自治区公安厅", "150000"),
    ("demo_baotou", Role.REGION, "包头市人民政府", "150200"),
    ("demo_donghe", Role.REGION, "包头市东河区人民政府", "150202"),
    ("demo_unit", Role.UNIT, UNIT_NAME, UNIT_REGION),
    ("demo_zrzy", Role.AUTHORITY, "包头市东河区自然资源局", UNIT_REGION),  # 绿色通道: approval authorities
    ("demo_xf", Role.AUTHORITY, "包头市东河区消防救援大队", UNIT_REGION),
    ("demo_sysadmin", Role.SYSADMIN, "系统管理", "150000"),
    ("demo_secadmin", Role.SECADMIN, "系统管理", "150000"),
    ("demo_auditor", Role.AUDITOR, "系统管理", "150000"),
]


def ensure_demo_organizations() -> None:
    """Organizations the demo accounts belong to beyond the base ones: a league-level counterpart of a
    department line (包头市本级 schools answer to 包头市教育局), and the demo unit, as `resolve_unit` would
    create it for the projects that name it."""
    Organization.objects.update_or_create(
        name="包头市教育局", region_id="150200", defaults={"kind": OrgKind.DEPARTMENT, "department_id": "JYT"}
    )
    Organization.objects.get_or_create(name=UNIT_NAME, region_id=UNIT_REGION, defaults={"kind": OrgKind.UNIT})
    load_greenchannel()  # the authorities demo_zrzy and demo_xf work for


def demo_password(user: User) -> str:
    """The documented demo password, unless the configured password rules are stricter."""
    try:
        # Without the user: the demo sets the same documented password again on every run, which the policy's
        # "not one of the last N" would refuse for a real account.
        validate_password(DEMO_PASSWORD)
        return DEMO_PASSWORD
    except ValidationError:
        # 24 characters of all four classes: passes any stricter profile a deployer is likely to set.
        parts = (("abcdefghjkmnpqrstuvwxyz", 12), ("ABCDEFGHJKLMNPQRSTUVWXYZ", 6), ("23456789", 4), ("#@%+", 2))
        return "".join(get_random_string(n, chars) for chars, n in parts)


@transaction.atomic
def ensure_demo_accounts() -> list[dict]:
    """One account per role; passwords are (re)set each run so the accounts file is always right."""
    from axes.utils import reset as axes_reset

    ensure_demo_organizations()
    accounts = []
    for username, role, org_name, region_code in ACCOUNTS:
        org = Organization.objects.get(name=org_name, region_id=region_code)
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": org.name[:150]})
        password = demo_password(user)
        user.set_password(password)
        user.is_active = True
        user.save()
        user.role_assignments.exclude(role=role, organization=org).delete()
        RoleAssignment.objects.get_or_create(user=user, role=role, organization=org)
        axes_reset(username=username)
        accounts.append({
            "username": username, "password": password, "role": str(role), "organization": org.name,
            "region_code": org.region_id,
        })
    return accounts


def actor(user: User) -> Actor:
    return Actor(user=user, via=VIA)


class Cast:
    """The user who plays each part for a project: the demo accounts where they apply, otherwise a user of the
    league government or the autonomous region's department (created here, without a usable password)."""

    def __init__(self) -> None:
        self.users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
        self.office = self.users["demo_office"]
        self.unit_org = Organization.objects.get(name=UNIT_NAME, region_id=UNIT_REGION)

    def _user(self, username: str, role: str, org_filter: dict) -> User:
        if username not in self.users:
            org = Organization.objects.get(**org_filter)
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": org.name[:150]})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            RoleAssignment.objects.get_or_create(user=user, role=role, organization=org)
            self.users[username] = user
        return self.users[username]

    def government(self, prefecture_code: str) -> User:
        if prefecture_code == "150200":
            return self.users["demo_baotou"]
        org = {"kind": OrgKind.GOVERNMENT, "region_id": prefecture_code}
        return self._user(f"demo_gov_{prefecture_code}", Role.REGION, org)

    def department(self, department_id: str, prefecture_code: str) -> User:
        if department_id == "GAT":
            return self.users["demo_gat"]
        if department_id == "JYT":
            return self.users["demo_baotou_jyt" if prefecture_code == "150200" else "demo_jyt"]
        org = {"kind": OrgKind.DEPARTMENT, "region_id": "150000", "department_id": department_id}
        return self._user(f"demo_dept_{department_id}", Role.DEPARTMENT, org)

    def submitter(self, row: dict) -> User:
        """Who puts a project into the ledger: its county (Donghe) or league government; for a classified
        project, its department, the only one who may see it."""
        if row["classified"]:
            return self.department(row["department_id"], row["prefecture"].code)
        if row["region"].code == UNIT_REGION:
            return self.users["demo_donghe"]
        return self.government(row["prefecture"].code)

    def reviewer(self, project: Project) -> User:
        """The competent department: confirms the project into the ledger, reviews its plan and closure."""
        return self.department(project.department_id, project.prefecture_id)

    def drafter(self, project: Project) -> User:
        """The unit, its county or its league drafts, reports and requests closure; for a classified project its
        department does everything."""
        if project.classified:
            return self.reviewer(project)
        if project.responsible_org_id == self.unit_org.pk:
            return self.users["demo_unit"]
        if project.region_id == UNIT_REGION:
            return self.users["demo_donghe"]
        return self.government(project.prefecture_id)

    def confirmer(self, project: Project) -> User:
        return self.reviewer(project) if project.classified else self.office
