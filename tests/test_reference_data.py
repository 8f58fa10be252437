"""Reference data: Inner Mongolia by default, another province from its own CSV files alone."""

import pytest
from django.core.management import call_command

from halfbuilt.accounts.models import Organization, OrgKind
from halfbuilt.regions.loader import load_reference_data
from halfbuilt.regions.models import Category, Department, Region, RegionLevel


def test_inner_mongolia_is_the_default(reference):
    assert Region.objects.get(code="150000").level == RegionLevel.PROVINCE
    assert Region.objects.filter(level=RegionLevel.PREFECTURE).count() == 12
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    assert counties.filter(is_functional_zone=False).count() == 103
    assert set(counties.filter(is_functional_zone=True).values_list("code", flat=True)) == {
        "150172", "150271", "150571", "152571", "152971"}
    assert Region.objects.get(code="152921").parent.name == "阿拉善盟"
    codes = list(Category.objects.values_list("code", flat=True))
    assert codes == [f"A{n:02d}" for n in range(1, 11)] + [f"B{n:02d}" for n in range(1, 8)]
    assert Category.objects.get(code="A03").default_department_id == "JYT"
    assert Category.objects.get(code="A02").default_department is None  # several departments: 待指定
    assert set(Department.objects.get(code="MZT").categories.values_list("code", flat=True)) == {"A06", "A09"}


def test_loading_twice_changes_nothing(reference):
    call_command("init", verbosity=0)  # the fixture's reference data lacks the green channel's authorities
    before = (Region.objects.count(), Category.objects.count(), Department.objects.count(),
              Organization.objects.count())
    call_command("init", verbosity=0)
    call_command("init", verbosity=0)
    after = (Region.objects.count(), Category.objects.count(), Department.objects.count(),
             Organization.objects.count())
    assert before == after


@pytest.fixture
def ningxia(tmp_path, settings):
    (tmp_path / "regions-640000.csv").write_text(
        "code,name,parent_code,level,kind\n"
        "640000,宁夏回族自治区,,province,自治区\n"
        "640100,银川市,640000,prefecture,地级市\n"
        "640104,兴庆区,640100,county,市辖区\n"
        "640105,西夏区,640100,county,市辖区\n", encoding="utf-8")
    (tmp_path / "departments.csv").write_text(
        "code,name,categories,covers\nJYT,宁夏回族自治区教育厅,A03,教育\n", encoding="utf-8")
    (tmp_path / "categories.csv").write_text(
        "code,group,name,examples,default_department\nA03,公共基础设施,教育,幼儿园等学校,JYT\n", encoding="utf-8")
    settings.REFERENCE_DATA_DIR = str(tmp_path)
    settings.CAMPAIGN_PROVINCE_CODE = "640000"
    return tmp_path


def test_another_province_runs_from_its_own_data(db, ningxia, make_user):
    from django.test import Client

    call_command("init", verbosity=0)
    assert Region.objects.get(code="640104").parent_id == "640100"
    office = Organization.objects.get(kind=OrgKind.OFFICE, region_id="640000")
    assert Organization.objects.filter(name="银川市人民政府").exists()
    user = make_user("region", Organization.objects.get(name="银川市人民政府"))
    client = Client()
    client.force_login(user)
    page = client.get("/ledger/new/")
    assert page.status_code == 200 and "兴庆区" in page.content.decode()
    assert office.name


def test_missing_reference_file_is_a_clear_error(db, settings, tmp_path):
    settings.REFERENCE_DATA_DIR = str(tmp_path)
    with pytest.raises(FileNotFoundError, match="参考数据缺失"):
        load_reference_data()
