"""事中预警: the progress feed imported all or nothing with every error at once; each flag at its threshold; a flag
reconciled against the ledger; put on the ledger by one action with its source recorded, never automatically."""

import datetime as dt

import pytest

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import NotAllowed, ServiceError
from halfbuilt.ledger.models import Project
from halfbuilt.prevention import watch
from halfbuilt.prevention.feed import FeedRow
from halfbuilt.prevention.models import FeedImport, StallFlag, WatchSettings
from halfbuilt.regions.models import Category
from tests.prevention_helpers import actor, feed_csv

AS_OF = dt.date(2026, 11, 15)
HEAD = "项目代码,项目名称,所在地区,计划开工,计划竣工,开工,停工,竣工,投用,总投资（万元）,2026-03,2026年4月完成投资"


def row(**dates) -> FeedRow:
    months = dates.pop("months", {})
    return FeedRow("表", 2, "某项目", "150202", dates=dates, months=months)


def reasons(r: FeedRow, as_of=AS_OF) -> list[str]:
    return [f.reason for f in watch.findings(r, as_of, WatchSettings(no_progress_months=6, overdue_months=0,
                                                                     idle_months=6))]


def test_no_progress_fires_at_n_months_since_the_last_investment():
    assert reasons(row(started="2025-01", months={"2026-05": 10})) == ["no_progress"]  # 6 months: May → November
    assert reasons(row(started="2025-01", months={"2026-06": 10})) == []  # 5 months
    assert reasons(row(started="2025-01", months={"2026-06": 0})) == ["no_progress"]  # nothing since the start


def test_past_planned_completion_fires_the_day_after():
    assert reasons(row(planned_completion="2026-11-15")) == []
    assert reasons(row(planned_completion="2026-11-14")) == ["overdue"]
    assert reasons(row(planned_completion="2026-10")) == ["overdue"]  # month precision: its last day passed
    assert reasons(row(planned_completion="2026")) == []  # a year: not before 2026-12-31
    assert reasons(row(planned_completion="2026-10", completed="2026-09")) == []


def test_completed_not_in_use_fires_at_n_months():
    assert reasons(row(completed="2026-05-20")) == ["idle"]
    assert reasons(row(completed="2026-06")) == []
    assert reasons(row(completed="2026-05", in_use="2026-08")) == []


def test_the_thresholds_are_the_offices(users):
    settings = WatchSettings.current()
    from halfbuilt.prevention import services

    services.update_watch_settings(actor=actor(users["office"]), version=settings.version,
                                   data={"no_progress_months": 3, "overdue_months": 2, "idle_months": 12})
    limits = WatchSettings.current()
    assert [f.reason for f in watch.findings(row(started="2025-01", months={"2026-08": 5}), AS_OF, limits)] == [
        "no_progress"]
    assert watch.findings(row(planned_completion="2026-09-15"), AS_OF, limits) == []
    assert watch.findings(row(completed="2026-05"), AS_OF, limits) == []
    with pytest.raises(NotAllowed):
        services.update_watch_settings(actor=actor(users["region"]), version=limits.version,
                                       data={"no_progress_months": 1, "overdue_months": 0, "idle_months": 1})


def test_a_feed_with_errors_names_them_all_and_writes_nothing(users, tmp_path):
    path = feed_csv(tmp_path, [HEAD, "2020-150202-47-01-00001X,东河区甲项目,东河区,,,2025-01,,,,800,十万,",
                               "bad-code,,不存在县,,2026.1,,,,,,,",
                               "2020-150202-47-01-00002X,东河区乙项目,150202,,,2025-13,,,,,,"])
    feed, errors = watch.import_feed(actor=actor(users["office"]), path=path, name="进度.csv", as_of=AS_OF)
    assert feed is None
    found = {(e.row, e.column) for e in errors}
    assert found == {(2, "2026-03"), (3, "项目代码"), (3, "项目名称"), (3, "所在地区"), (3, "计划竣工"), (4, "开工")}
    assert not FeedImport.objects.exists() and not StallFlag.objects.exists() and not ChangeLog.objects.exists()


def test_a_feed_is_flagged_reconciled_and_nothing_goes_on_the_ledger_by_itself(users, projects, tmp_path):
    projects["in_scope"].project_code = "2020-150202-47-01-00009X"
    projects["in_scope"].save()
    path = feed_csv(tmp_path, [
        HEAD,
        "2020-150202-47-01-00009X,东河区第一中学教学楼,东河区,2020-01,2021-12,2020-03,,,,1000,,",  # in the ledger
        ",东河区体育馆,150202,2021-01,2022-06,2021-04,2023-05,,,5000,,",  # missing from it
        ",东河区第一中学教学楼改造,东河区,2020-01,2030-12,2020-03,,,,900,50,60",  # a near name, idle since April
        ",东河区第二小学,东河区,2020-01,2030-12,2020-03,,,,900,50,60",  # another name: not flagged as the school
        ",东河区文化馆,东河区,2020-01,2030-12,2026-01,,,,900,,",  # started in January, nothing invested since
        ",东河区污水厂,东河区,2020-01,2022-06,2020-03,,2025-12,,3000,,",  # idle
    ])
    before = Project.objects.count()
    feed, errors = watch.import_feed(actor=actor(users["office"]), path=path, name="进度.csv", as_of=AS_OF)
    assert errors == [] and (feed.rows, feed.flagged) == (6, 6)
    flags = {f.name: f for f in feed.flags.all()}
    near = flags["东河区第一中学教学楼改造"]
    assert (near.reason, near.ledger_project_id, near.match_how) == ("no_progress", projects["in_scope"].pk, "name")
    assert "最近一次完成投资在 2026-04，已 7 个月无进展" in near.detail
    assert flags["东河区第二小学"].ledger_project_id is None
    assert (flags["东河区第一中学教学楼"].ledger_project_id, flags["东河区第一中学教学楼"].match_how) == (
        projects["in_scope"].pk, "code")
    assert flags["东河区体育馆"].ledger_project_id is None and flags["东河区体育馆"].reason == "overdue"
    assert "2023-05报告停工" in flags["东河区体育馆"].detail
    assert flags["东河区污水厂"].reason == "idle"
    assert Project.objects.count() == before


def test_one_action_puts_a_flag_on_the_ledger_with_its_source(users, tmp_path):
    path = feed_csv(tmp_path, [HEAD, ",东河区体育馆,150202,2021-01,2022-06,2021-04,2023-05,,,5000,,"])
    feed, _errors = watch.import_feed(actor=actor(users["office"]), path=path, name="进度.csv", as_of=AS_OF)
    flag = feed.flags.get()
    with pytest.raises(NotAllowed):
        watch.add_to_ledger(actor=actor(users["region"]), flag=flag, category=Category.objects.get(code="A08"))
    project = watch.add_to_ledger(actor=actor(users["office"]), flag=flag, category=Category.objects.get(code="A08"),
                                  version=flag.version)
    assert (project.status, project.kind, project.region_id, project.stop_date) == (
        "candidate", "stalled", "150202", "2023-05")
    created = ChangeLog.objects.get(project_id=project.pk, action="create")
    assert created.via == "stall_watch"
    added = ChangeLog.objects.get(project_id=project.pk, action="flag_add")
    assert added.reason == f"停建预警：进度数据《进度.csv》第 2 行（数据截至 {AS_OF.isoformat()}）"
    flag.refresh_from_db()
    assert (flag.status, flag.ledger_project_id) == ("added", project.pk)
    with pytest.raises(ServiceError, match="已处理"):
        watch.add_to_ledger(actor=actor(users["office"]), flag=flag, category=Category.objects.get(code="A08"))


def test_a_flag_is_dismissed_with_a_reason(users, tmp_path):
    path = feed_csv(tmp_path, [HEAD, ",东河区体育馆,150202,2021-01,2022-06,2021-04,2023-05,,,5000,,"])
    feed, _errors = watch.import_feed(actor=actor(users["office"]), path=path, name="进度.csv", as_of=AS_OF)
    flag = feed.flags.get()
    with pytest.raises(ServiceError, match="须填写理由"):
        watch.dismiss(actor=actor(users["office"]), flag=flag, reason=" ")
    watch.dismiss(actor=actor(users["office"]), flag=flag, reason="已于上月复工，平台数据滞后")
    flag.refresh_from_db()
    assert (flag.status, flag.note) == ("dismissed", "已于上月复工，平台数据滞后")


def test_only_the_office_imports_a_feed(users, tmp_path):
    path = feed_csv(tmp_path, [HEAD, ",东河区体育馆,150202,,,,,,,,,"])
    with pytest.raises(NotAllowed):
        watch.import_feed(actor=actor(users["department"]), path=path, name="进度.csv", as_of=AS_OF)
