"""Organizations every campaign has: the office, the governments of each region, the departments."""

from django.conf import settings
from django.db import transaction

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.regions.models import Department, Region, RegionLevel


@transaction.atomic
def ensure_base_organizations() -> None:
    province = Region.objects.get(code=settings.CAMPAIGN_PROVINCE_CODE)
    Organization.objects.get_or_create(
        name="半拉子工程大起底工作领导小组办公室", region=province, defaults={"kind": OrgKind.OFFICE}
    )
    Organization.objects.get_or_create(name="系统管理", region=province, defaults={"kind": OrgKind.ADMIN})
    for department in Department.objects.all():
        Organization.objects.get_or_create(
            name=department.name, region=province,
            defaults={"kind": OrgKind.DEPARTMENT, "department": department},
        )
    for region in Region.objects.exclude(level=RegionLevel.PROVINCE).select_related("parent"):
        Organization.objects.get_or_create(
            name=government_name(region), region=region, defaults={"kind": OrgKind.GOVERNMENT}
        )


def government_name(region: Region) -> str:
    if region.level == RegionLevel.PREFECTURE:
        return f"{region.name}行政公署" if region.name.endswith("盟") else f"{region.name}人民政府"
    if region.kind == "功能区":
        return f"{region.parent.name}{region.name}"
    return f"{region.parent.name}{region.name}人民政府"
