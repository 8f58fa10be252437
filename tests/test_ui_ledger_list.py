"""The ledger list and its export show and filter by the disposal stage (处置阶段) and the plan's method (处置方式)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def ledger(make_project, disposal_make_plan):
    made = {
        "new": make_project(name="未开始处置的项目", status="in_ledger"),
        "candidate": make_project(name="待核实的项目"),
        "planning": make_project(name="制定方案中的项目", status="in_ledger", stage="planning"),
        "disposing": make_project(name="处置中的项目", status="in_ledger", stage="disposing"),
        "closed": make_project(name="已销号的项目", status="in_ledger", stage="closed"),
    }
    disposal_make_plan(made["planning"], method="judicial")
    disposal_make_plan(made["disposing"], method="revitalise", status="confirmed")
    disposal_make_plan(made["closed"], method="demolish", status="confirmed")
    return made


def listed(client, query: str) -> set[str]:
    response = client.get(f"/ledger/?{query}")
    assert response.status_code == 200
    return {p.name for p in response.context["projects"]}


@pytest.mark.parametrize("query,names", [
    ("stage=disposing", {"处置中的项目"}),
    ("stage=planning", {"制定方案中的项目"}),
    ("stage=closed", {"已销号的项目"}),
    ("stage=none", {"未开始处置的项目", "待核实的项目"}),
    ("method=judicial", {"制定方案中的项目"}),
    ("method=revitalise", {"处置中的项目"}),
    ("method=none", {"未开始处置的项目", "待核实的项目"}),
    ("method=demolish&stage=closed", {"已销号的项目"}),
    ("method=demolish&stage=disposing", set()),
])
def test_filter_by_stage_and_method(office, ledger, query, names):
    assert listed(office, query) == names


def test_bad_stage_or_method_is_reported_and_ignored(office, ledger):
    response = office.get("/ledger/?stage=finished&method=magic")
    html = response.content.decode()
    assert "处置阶段“finished”无效，已忽略" in html and "处置方式“magic”无效，已忽略" in html
    assert len(response.context["projects"]) == 5


def test_the_list_shows_stage_and_method_columns(office, ledger):
    html = office.get("/ledger/").content.decode()
    assert '<th scope="col">处置阶段</th>' in html and '<th scope="col">处置方式</th>' in html
    row = html[html.index("处置中的项目</a>"):]
    row = row[:row.index("</tr>")]
    assert "<td class=\"nowrap\">处置中</td>" in row and "<td class=\"nowrap\">引导盘活</td>" in row
    # The filter panel offers both, with "none" choices.
    assert '<option value="none">未开始处置</option>' in html and '<option value="none">尚无方案</option>' in html


def test_the_list_reads_the_methods_with_its_query_not_one_per_row(office, ledger, make_project,
                                                                   disposal_make_plan):
    def count():
        with CaptureQueriesContext(connection) as captured:
            office.get("/ledger/")
        return len(captured)

    count()  # the first page after signing in also renews the session (core.middleware.IdleSessionMiddleware)
    before = count()
    for i in range(10):
        disposal_make_plan(make_project(name=f"另一个项目{i}", status="in_ledger", stage="planning"),
                           method="resume")
    assert count() == before


def test_the_export_has_stage_and_method_columns_and_follows_the_filters(office, ledger):
    response = office.get("/ledger/export/?format=csv&stage=disposing")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert header[header.index("处置阶段") + 1] == "处置方式"
    assert len(rows) == 2
    record = dict(zip(header, rows[1], strict=True))
    assert (record["项目名称"], record["处置阶段"], record["处置方式"]) == ("处置中的项目", "处置中", "引导盘活")


def test_the_xlsx_export_has_the_method_column(office, ledger):
    from python_calamine import CalamineWorkbook

    response = office.get("/ledger/export/?format=xlsx&method=none")
    body = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
    header = rows[0]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert {r["项目名称"] for r in records} == {"未开始处置的项目", "待核实的项目"}
    assert {r["处置方式"] for r in records} == {""}


def test_the_filter_panels_selects_are_djangos_markup_to_the_byte(db, users):
    """The panel's selects are written in Python (core.forms.QuickSelect, for speed): the same HTML as Django's
    templates give, with the chosen value selected, text escaped, attributes and option groups kept."""
    from django import forms

    from halfbuilt.core.forms import QuickSelect
    from halfbuilt.ledger.views import LedgerListForm

    form = LedgerListForm({"region": "150200", "light": "red", "stage": "none"}, user=users["office"])
    choices = [("", "全部"), ("a<b", "甲 & 乙"), ("组", [("x", "X"), ("y", "<Y>")])]
    for value, attrs in (("", {"id": "f"}), ("y", {"id": "f", "required": True, "disabled": False})):
        assert (QuickSelect(choices=choices).render("f", value, attrs=attrs)
                == forms.Select(choices=choices).render("f", value, attrs=attrs))
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.Select):
            bound = form[name]
            plain = forms.Select(choices=field.widget.choices)
            assert isinstance(field.widget, QuickSelect), name
            assert str(bound) == plain.render(bound.html_name, bound.value(),
                                              attrs=bound.build_widget_attrs({"id": bound.auto_id})), name
    assert '<option value="150200" selected>' in str(form["region"])
