"""The campaign as data: `halfbuilt init` loads the default (idempotently, keeping the office's edits), another
province's campaign comes from its own file, and the selectors the other apps read follow the data."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from halfbuilt.campaign import selectors
from halfbuilt.campaign.loader import load_campaign
from halfbuilt.campaign.models import Campaign, FilerKind, FilingStatus, Phase, PlanFiling, Target

pytestmark = pytest.mark.django_db


def test_init_loads_the_inner_mongolia_campaign(reference):
    call_command("init", verbosity=0)
    campaign = selectors.current()
    assert campaign.key == "nm-2022"
    assert [(p.key, p.starts, p.ends) for p in selectors.phases()] == [
        ("deploy", dt.date(2022, 7, 1), dt.date(2022, 8, 10)),
        ("survey", dt.date(2022, 8, 11), dt.date(2022, 8, 31)),
        ("plan", dt.date(2022, 9, 1), dt.date(2022, 10, 31)),
        ("disposal", dt.date(2022, 11, 1), dt.date(2023, 12, 31)),
    ]
    assert selectors.deadline("survey") == dt.date(2022, 8, 31)  # the ledger due
    assert selectors.deadline("plan") == dt.date(2022, 10, 31)  # the plans' deadline, which the lights read
    assert selectors.deadline("disposal") == dt.date(2023, 12, 31)
    closed = selectors.target("all_closed")
    assert (closed.metric, closed.value, closed.due) == ("closure_rate", Decimal("100"), dt.date(2023, 12, 31))
    assert selectors.target("revitalise_this_year").text == "年内盘活、解决一批"
    rule = selectors.scope_rule()
    assert (rule.since, rule.levels) == ("2016", ("region", "prefecture"))
    # The expected 实施方案 filers: 27 competent departments and the 12 leagues/cities, none filed yet.
    filers = PlanFiling.objects.filter(campaign=campaign)
    assert filers.filter(filer_kind=FilerKind.DEPARTMENT).count() == 27
    assert sorted(filers.filter(filer_kind=FilerKind.REGION).values_list("organization__region_id", flat=True)) == [
        "150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800", "150900",
        "152200", "152500", "152900"]
    assert selectors.filing_counts()[FilingStatus.PENDING] == 39


def test_init_twice_changes_nothing_and_keeps_the_offices_edits(reference):
    call_command("init", verbosity=0)
    Phase.objects.filter(key="plan").update(ends=dt.date(2022, 11, 15))
    counts = (Campaign.objects.count(), Phase.objects.count(), Target.objects.count(), PlanFiling.objects.count())
    call_command("init", verbosity=0)
    assert (Campaign.objects.count(), Phase.objects.count(), Target.objects.count(),
            PlanFiling.objects.count()) == counts
    assert selectors.deadline("plan") == dt.date(2022, 11, 15)


def _other_province_text() -> str:
    return json.dumps(OTHER, ensure_ascii=False)


def _other_province(tmp_path) -> str:
    (tmp_path / "campaign-other.json").write_text(_other_province_text(), encoding="utf-8")
    return str(tmp_path)


OTHER = {
    "key": "other-2024", "name": "另一省份的起底行动", "province": "150000", "current": True,
    "scope": {"approved_since": "2019", "approval_levels": ["region"], "text": "2019年以来省级审批"},
    "phases": [
        {"key": "deploy", "name": "部署", "ends": "2024-03-31"},
        {"key": "survey", "name": "摸底", "starts": "2024-04-01", "ends": "2024-05-31", "due": "2024-05-20",
         "due_label": "台账报送截止"},
        {"key": "plan", "name": "方案", "starts": "2024-06-01", "ends": "2024-07-31"},
        {"key": "disposal", "name": "处置", "starts": "2024-08-01", "ends": "2025-06-30"},
    ],
    "targets": [{"key": "all_closed", "text": "全部销号", "metric": "closure_rate", "value": 95,
                 "due": "2025-06-30"}],
    "filers": {"departments": ["JYT"], "regions": ["150200"]},
}


def test_another_province_runs_another_campaign_from_data_alone(reference, settings, tmp_path):
    load_campaign()  # the default first: the new file's campaign replaces it as the current one
    settings.REFERENCE_DATA_DIR = _other_province(tmp_path)
    campaign, created = load_campaign()
    assert created and selectors.current() == campaign
    assert Campaign.objects.get(key="nm-2022").current is False
    assert selectors.deadline("survey") == dt.date(2024, 5, 20)
    assert selectors.deadline("plan") == dt.date(2024, 7, 31)
    assert selectors.target("all_closed").value == Decimal("95")
    assert selectors.scope_rule().levels == ("region",)
    names = [row.filing.organization.name for row in selectors.filing_status()]
    assert names == ["内蒙古自治区教育厅", "包头市人民政府"]


def test_without_a_campaign_the_selectors_answer_nothing(reference):
    assert selectors.current() is None
    assert selectors.deadline("plan") is None
    assert selectors.scope_rule() is None
    assert selectors.filing_status() == []


def test_a_wrong_campaign_file_is_named_and_loads_nothing(reference, tmp_path):
    data = json.loads(_other_province_text())
    data["filers"]["regions"] = ["159900"]
    path = tmp_path / "campaign-bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="实施方案报送单位“159900”在参考数据中不存在"):
        load_campaign(path)
    assert not Campaign.objects.filter(key="other-2024").exists()
