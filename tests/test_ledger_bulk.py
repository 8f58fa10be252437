"""The ledger's bulk service (`ledger.bulk`) on its own: it asks scope again at the write whatever its caller
checked, numbers new projects, logs each one, and writes all or nothing."""

from decimal import Decimal

import pytest

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.errors import ConflictError, NotAllowed
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import bulk
from halfbuilt.ledger.dictionary import snapshot
from halfbuilt.ledger.models import Project
from halfbuilt.regions.models import Region


def row(**values):
    return {"name": "东河区某小学", "region_id": "150202", "category_id": "A03", "department_id": "JYT",
            "kind": "stalled", **values}


def write(user, region="150200", creates=(), updates=()):
    bulk.import_projects(actor=Actor(user, via="import"), region=Region.objects.get(code=region), batch="bulk",
                         creates=list(creates), updates=list(updates))


def change(project, **values):
    final = {a: getattr(project, a) for a in bulk.ATTRS} | values
    return bulk.ProjectChange(id=project.pk, version=project.version, values=final, before={"name": project.name},
                              after={"name": final["name"]}, name=final["name"], prefecture_id="150200")


def test_new_projects_are_numbered_stored_and_logged(users):
    write(users["region"], creates=[row(total_investment=Decimal("12.5"), responsible_unit="东河区教育局"),
                                    row(name="昆都仑区某小学", region_id="150203")])
    projects = list(Project.objects.select_related("responsible_org").order_by("name"))
    assert [(p.ledger_no, p.prefecture_id, p.status, p.version) for p in projects] == [
        ("150202-00001", "150200", "candidate", 1), ("150203-00001", "150200", "candidate", 1)]
    assert projects[0].responsible_org.name == "东河区教育局" and projects[1].responsible_org is None
    for p in projects:
        entry = ChangeLog.objects.get(project_id=p.pk)
        assert (entry.action, entry.batch, entry.username) == ("import_create", "bulk", "gov_baotou")
        assert entry.after == snapshot(p) and entry.before is None


@pytest.mark.parametrize(("role", "region", "values", "message"), [
    ("unit", "150202", {}, "无权在"),  # a unit submits no ledger
    ("county", "150202", {"region_id": "150203"}, "超出了您的填报范围"),  # Donghe's government, a Kundulun row
    ("department_baotou", "150200", {"category_id": "A05", "department_id": "WJW"}, "本行业"),
    ("region", "150200", {"classified": True}, "涉密"),  # only the owning department files a classified one
    ("department", "150000", {"classified": True, "department_id": "GAT", "category_id": "A02"}, "本行业"),
])
def test_scope_is_asked_again_at_the_write(users, role, region, values, message):
    with pytest.raises(NotAllowed, match=message):
        write(users[role], region, creates=[row(), row(name="第二个", **values)])
    assert not Project.objects.exists() and not ChangeLog.objects.exists()


def test_the_owning_department_files_its_classified_project(users):
    write(users["department_gat"], "150000", creates=[row(classified=True, department_id="GAT", category_id="A02")])
    assert Project.objects.get().classified and ChangeLog.objects.get().classified


def test_a_change_outside_what_the_import_may_change_is_refused(users, projects):
    elsewhere = projects["elsewhere"]  # Chifeng's: not Baotou's government's to change
    with pytest.raises(NotAllowed, match="修改范围"):
        write(users["office"], "150200", creates=[row()], updates=[change(elsewhere, name="改名")])
    with pytest.raises(NotAllowed):
        write(None, "150000", updates=[change(projects["classified"], name="改名")])  # the CLI: not a classified one
    assert Project.objects.get(pk=elsewhere.pk).name == "红山区幼儿园" and Project.objects.count() == 3
    assert not ChangeLog.objects.exists()


def test_a_change_made_on_an_old_version_is_refused(users, projects):
    school = projects["in_scope"]
    stale = change(school, name="改名")
    Project.objects.filter(pk=school.pk).update(version=5)
    with pytest.raises(ConflictError, match="他人修改"):
        write(users["region"], updates=[stale])
    assert Project.objects.get(pk=school.pk).name == school.name and not ChangeLog.objects.exists()


def test_a_change_is_stored_and_logged(users, projects):
    school = projects["in_scope"]
    write(users["region"], updates=[change(school, name="东河区第一中学新校区", total_investment=Decimal("1500"))])
    school.refresh_from_db()
    assert (school.name, school.total_investment, school.version) == ("东河区第一中学新校区", Decimal("1500"), 2)
    entry = ChangeLog.objects.get()
    assert (entry.action, entry.object_id, entry.object_repr) == ("import_update", str(school.pk), school.name)
    assert entry.before == {"name": "东河区第一中学教学楼"} and entry.after == {"name": "东河区第一中学新校区"}
