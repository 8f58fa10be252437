"""Organizations every campaign has: the office, the governments of each region, the departments."""

from django.conf import settings
from django.db import transaction

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.regions.models import Department, Region, RegionLevel


@transaction.atomic
def ensure_base_organizations() -> None:
    """Create whichever of them is missing (found by name and region, as the unique constraint has it): two
    queries and one insert, however many regions the province has."""
    province = Region.objects.get(code=settings.CAMPAIGN_PROVINCE_CODE)
    wanted = [
        Organization(name="半拉子工程大起底工作领导小组办公室", region=province, kind=OrgKind.OFFICE),
        Organization(name="系统管理", region=province, kind=OrgKind.ADMIN),
        *(Organization(name=department.name, region=province, kind=OrgKind.DEPARTMENT, department=department)
          for department in Department.objects.all()),
        *(Organization(name=government_name(region), region=region, kind=OrgKind.GOVERNMENT)
          for region in Region.objects.exclude(level=RegionLevel.PROVINCE).select_related("parent")),
    ]
    existing = set(Organization.objects.values_list("name", "region_id"))
    Organization.objects.bulk_create([org for org in wanted if (org.name, org.region_id) not in existing])


def government_name(region: Region) -> str:
    if region.level == RegionLevel.PREFECTURE:
        return f"{region.name}行政公署" if region.name.endswith("盟") else f"{region.name}人民政府"
    if region.kind == "功能区":
        return f"{region.parent.name}{region.name}"
    return f"{region.parent.name}{region.name}人民政府"
