"""The user interface goes through gettext: the zh-Hans catalogue ships compiled, holds every wrapped string, and
rewording a string in a catalogue rewords the page (how a province says 地市 where Inner Mongolia says 盟市)."""

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
    """A deployment's catalogue that says 列入台账 for 纳入台账."""
    write_mo(tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.mo", {"纳入台账": "列入台账", "项目": "工程"})
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
