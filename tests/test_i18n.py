"""The user interface goes through gettext: the zh-Hans catalogue ships compiled, holds every wrapped string, and
rewording a string in a catalogue rewords the page (how a province says 地市 where Inner Mongolia says 盟市)."""

import ast
import gettext
import os
import re
import shutil
import struct
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import trans_real

import halfbuilt
from halfbuilt.core.errors import NotAllowed
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.workflow import PROJECT_STATUS

SOURCE = Path(halfbuilt.__file__).parent
CATALOGUE = SOURCE / "locale" / "zh_Hans" / "LC_MESSAGES"
ENTRY = re.compile(r'^msgid "(.+)"\nmsgstr "(.*)"$', re.M)


def entries(po: Path) -> dict[str, str]:
    return {msgid: msgstr for msgid, msgstr in ENTRY.findall(po.read_text(encoding="utf-8"))}


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo file (the format msgfmt writes): header, the two string tables, then the strings."""
    pairs = sorted((k.encode(), v.encode()) for k, v in {"": "Content-Type: text/plain; charset=UTF-8\n",
                                                         **messages}.items())
    ids = strs = b""
    offsets = []
    for key, value in pairs:
        offsets.append((len(ids), len(key), len(strs), len(value)))
        ids += key + b"\0"
        strs += value + b"\0"
    start = 7 * 4 + 16 * len(pairs)
    table = b"".join(struct.pack("<ii", length, start + at) for at, length, _, _ in offsets)
    table += b"".join(struct.pack("<ii", length, start + len(ids) + at) for _, _, at, length in offsets)
    header = struct.pack("<Iiiiiii", 0x950412DE, 0, len(pairs), 7 * 4, 7 * 4 + 8 * len(pairs), 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + table + ids + strs)


def test_the_shipped_catalogue_is_compiled_from_its_source():
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    source = entries(CATALOGUE / "django.po")
    assert len(source) > 50
    assert {msgid: compiled.gettext(msgid) for msgid in source} == source


TEMPLATES = SOURCE / "templates"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Templates whose Chinese text is not wrapped yet (path relative to templates/), each with the reason.
NOT_WRAPPED_YET: dict[str, str] = {}
WRAPPED = [
    re.compile(r"\{#.*?#\}", re.S),  # comments
    re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"\{%\s*trans(?:late)?\s+(?:\"[^\"]*\"|'[^']*').*?%\}", re.S),
    re.compile(r"_\((?:\"[^\"]*\"|'[^']*')\)"),  # _("…") in a tag's or a filter's argument
]


def unwrapped_text(source: str) -> list[str]:
    """The Chinese a template shows outside translation tags: in its text, its attributes and its tags' arguments."""
    for pattern in WRAPPED:
        source = pattern.sub(" ", source)
    return [line.strip() for line in source.splitlines() if HAN.search(line)]


def test_unwrapped_text_finds_chinese_outside_translation_tags():
    assert unwrapped_text('{% load i18n %}<p title="{% translate "项目" %}">'
                          '{% blocktranslate with n=x.y %}第 {{ n }} 页{% endblocktranslate %}'
                          '{# 注释 #}{{ x|default:_("无") }}</p>') == []
    assert unwrapped_text('<p>{% translate "项目" %}台账</p>') == ['<p> 台账</p>']
    assert unwrapped_text('<a aria-label="分页">') == ['<a aria-label="分页">']
    include = '{% include "x.html" with heading="待审核" %}'
    assert unwrapped_text(include) == [include]


def test_every_template_wraps_its_chinese_text_for_gettext():
    """Each template's Chinese goes through {% translate %} / {% blocktranslate %} / _("…"), so the catalogue can
    reword it; text from the database comes in through {{ … }} and is not the template's."""
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in NOT_WRAPPED_YET:
            continue
        if left := unwrapped_text(path.read_text(encoding="utf-8")):
            found[name] = left
    assert found == {}
    assert set(NOT_WRAPPED_YET) <= {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")}


def test_the_catalogue_holds_every_wrapped_string(tmp_path):
    """What `scripts/messages` would collect today is in the shipped catalogue (run it after changing UI text)."""
    if shutil.which("xgettext") is None:
        if os.environ.get("HALFBUILT_REQUIRE_ALL") == "1":
            pytest.fail("xgettext not found (HALFBUILT_REQUIRE_ALL=1): apt-get install gettext")
        pytest.skip("xgettext not found: apt-get install gettext")
    copy = tmp_path / "halfbuilt"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "demo", "locale"))
    (copy / "locale").mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command("makemessages", locale=["zh_Hans"], no_location=True, no_wrap=True, verbosity=0)
    finally:
        os.chdir(cwd)
    wanted = set(entries(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert wanted - set(entries(CATALOGUE / "django.po")) == set()


@pytest.fixture
def reworded(tmp_path, settings):
    """A deployment's catalogue that says 列入台账 for 纳入台账, 工程 for 项目, 处置计划 for 处置方案."""
    write_mo(tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.mo", {
        "纳入台账": "列入台账", "项目": "工程", "项目台账": "工程台账", "处置方案": "处置计划",
        "项目不存在，或您无权查看": "工程不存在，或您无权查看",
    })
    settings.LOCALE_PATHS = [tmp_path]
    trans_real._translations.clear()
    trans_real._default = None
    yield
    trans_real._translations.clear()
    trans_real._default = None
    translation.activate("zh-hans")


def test_a_catalogue_rewords_the_buttons_and_the_messages(reworded, users, projects):
    client = Client()
    client.force_login(users["department_baotou"])
    project = projects["in_scope"]
    page = client.get(f"/ledger/{project.pk}/").content.decode()
    assert "列入台账</button>" in page and "纳入台账</button>" not in page
    with pytest.raises(NotAllowed) as refused:
        PROJECT_STATUS.perform(actor=Actor(users["department_baotou"]), obj=projects["classified"], action="confirm")
    assert refused.value.message == "工程不存在，或您无权查看"


# --- Python: what a module shows or raises goes through gettext -------------------------------------------------
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# Not interface: demo content, and what a county's spreadsheet may say, matched against and never shown (the
# importer's header synonyms and cell words).
NOT_PYTHON_UI = ("demo/", "ledger/intake/headers.py", "ledger/intake/words.py", "administration/headers.py",
                 "prevention/headers.py")
# Modules whose Chinese is not wrapped yet (path relative to the package), each with the reason.
PYTHON_NOT_WRAPPED_YET: dict[str, str] = {
    "api/schemas.py": "OpenAPI documentation (schema descriptions) for integrators, not the interface",
}
# Chinese that is data, not interface: what the code matches typed input against (module → the literals).
NOT_INTERFACE: dict[str, set[str]] = {
    # The organisations every campaign has, and a region's government, named as the records store them.
    "accounts/setup.py": {"半拉子工程大起底工作领导小组办公室", "系统管理", "盟", "功能区", "行政公署", "人民政府"},
    "api/api.py": {"半拉子工程大起底管理平台 API"},  # the OpenAPI document's title
    # A language's name for itself (LANGUAGES); the issuer an authenticator app files the account under (a
    # deployment setting, HALFBUILT_TOTP_ISSUER).
    "config/settings.py": {"简体中文", "半拉子工程大起底管理平台"},
    # The fonts of government documents (GB/T 9704) and the numerals of their headings (一、二、…).
    "core/govdoc.py": {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "一二三四五六七八九十"},
    "disposal/methods.py": {"是", "否", r"(\d{4})年(\d{1,2})月(\d{1,2})日?"},  # 是/否 typed for a flag; 2023年5月20日
    # The data dictionary's name of a column (the import's header), and the flags an export writes and the
    # import reads back.
    "ledger/dictionary.py": {"所在地区代码", "是", "否"},
    "ledger/rules.py": {"元", "万元", "万", "亿元", "亿", "无",  # the units and blanks typed in a cell
                        r"^([-+]?\d+(?:\.\d+)?)\s*(元|万元|万|亿元|亿)?$", r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$",
                        r"^(\d{4})年(\d{1,2})月?$", r"^(\d{4})年?$"},
    "progress/documents.py": {"宋体"},  # the spreadsheet's font
    "supervision/dashboard/exports.py": {"宋体"},  # the spreadsheet's font
    "regions/loader.py": {"功能区"},  # a region kind, as the reference data's CSV says it
    "regions/models.py": {"内蒙古自治区"},  # the prefix a department's short name leaves out (reference data)
}


def python_modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        if "migrations/" in name or name.startswith(NOT_PYTHON_UI):
            continue
        found[name] = path
    return found


def unwrapped_literals(source: str) -> list[str]:
    """The Chinese string literals of a module outside gettext: every str constant (f-strings' parts too) with
    CJK characters, except docstrings, the first argument of `_` / `gettext` / `gettext_lazy` / `ngettext` (and
    the second of `ngettext`), and the `description=` / `summary=` of the API's schemas and routes (the OpenAPI
    documentation, not the interface)."""
    tree = ast.parse(source)
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in GETTEXT:
                skip.update(id(arg) for arg in node.args[:2 if name.startswith("ngettext") else 1])
            skip.update(id(k.value) for k in node.keywords if k.arg in ("description", "summary"))
    found = [node for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
             and HAN.search(node.value)]
    return [node.value for node in sorted(found, key=lambda node: (node.lineno, node.col_offset))]


def test_unwrapped_literals_finds_chinese_outside_gettext():
    source = '''
"""模块说明"""
from django.utils.translation import gettext as _, gettext_lazy, ngettext
LABELS = {"a": gettext_lazy("项目")}
def f(n, x):
    """函数说明"""
    ngettext("一项", "{n} 项", n)
    Field(description="接口文档")
    raise ServiceError(_("{x}不存在").format(x=x), field="名称")
def g(x):
    return f"第{x}页"
'''
    assert unwrapped_literals(source) == ["名称", "第", "页"]


def test_every_module_wraps_its_chinese_for_gettext():
    """A Python module's Chinese (messages, labels, headings) goes through gettext, so the catalogue can reword
    it; what is not interface is listed in NOT_INTERFACE, what is not done yet in PYTHON_NOT_WRAPPED_YET."""
    modules = python_modules()
    found = {}
    for name, path in modules.items():
        if name in PYTHON_NOT_WRAPPED_YET:
            continue
        left = [s for s in unwrapped_literals(path.read_text(encoding="utf-8")) if s not in NOT_INTERFACE.get(name, ())]
        if left:
            found[name] = left
    assert found == {}
    assert set(PYTHON_NOT_WRAPPED_YET) | set(NOT_INTERFACE) <= set(modules)


def test_a_catalogue_rewords_what_python_shows(reworded, users, projects):
    """Tables built at import (the menu, the home page's groups) are lazy, so they follow the catalogue of the
    request; messages built at run time (the API's 404) too."""
    client = Client()
    client.force_login(users["department_baotou"])
    page = client.get("/").content.decode()
    assert ">工程台账</a>" in page and ">项目台账</a>" not in page
    assert "处置计划" in page
    answer = client.get("/api/v1/projects/999999999")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "工程不存在，或您无权查看"}
