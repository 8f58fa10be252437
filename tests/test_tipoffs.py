"""Tip-offs (issue 9 §2): the public form (captcha, rate limit, photos without EXIF), the tracking page that shows
nothing the reporter wrote, moderation by region with the change log, overdue on the home page, Open311."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import ExifTags, Image

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger.models import Project
from halfbuilt.tipoffs import selectors, services
from halfbuilt.tipoffs.models import TipOff, TipOffPhoto

WHAT, SECRET_TEXT, NAME, PHONE = "东河区某小学教学楼", "施工队撤走三年了，某某说的", "王小明", "13812345678"


def jpeg_with_gps_and_exif() -> bytes:
    image = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SecretCam 9"
    gps = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (40.0, 35.0, 0.0),
           ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (110.0, 2.0, 0.0)}
    exif[ExifTags.IFD.GPSInfo] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def question_answer(page: str) -> str:
    a, b = map(int, re.search(r"(\d+) 加 (\d+) 等于多少", page).groups())
    return str(a + b)


def form_data(**extra) -> dict:
    return {"what": WHAT, "region": "150202", "address": "东河区某街道", "kind": "stalled",
            "description": SECRET_TEXT, "reporter_name": NAME, "reporter_phone": PHONE, **extra}


def post_report(client: Client, *, wrong: bool = False, **extra):
    page = client.get("/gongkai/report/").content.decode()
    answer = "999" if wrong else question_answer(page)
    return client.post("/gongkai/report/", form_data(captcha=answer, **extra))


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def submitted(**extra) -> TipOff:
    return services.submit(actor=Actor(user=None, via="portal"), what=extra.pop("what", WHAT), region="150202",
                           kind="stalled", description=SECRET_TEXT, reporter_name=NAME, reporter_phone=PHONE,
                           **extra)


def test_a_citizen_files_a_tipoff_and_follows_it_by_its_code(reference):
    client = Client()
    response = post_report(client)
    assert response.status_code == 302
    tipoff = TipOff.objects.get()
    assert response["Location"] == f"/gongkai/report/{tipoff.code}/" and len(tipoff.code) >= 16
    page = client.get(response["Location"]).content.decode()
    assert "待处理" in page and tipoff.code in page
    for written in (WHAT, SECRET_TEXT, NAME, PHONE, "东河区某街道"):
        assert written not in page  # nothing the reporter wrote is public
    assert ChangeLog.objects.filter(action="tipoff_receive", object_id=str(tipoff.pk), via="portal").exists()


def test_a_position_outside_the_province_is_refused_with_a_field_message(reference):
    """Shanghai's latitude, or a longitude west of the province: the form comes back with the message at the
    field, the region and address kept; nothing is stored. Inside the box it goes through."""
    client = Client()
    for lat, lng, field in (("31.230000", "121.470000", "latitude"), ("41.700000", "90.000000", "longitude")):
        response = post_report(client, latitude=lat, longitude=lng)
        assert response.status_code == 200
        page = response.content.decode()
        message = "位置不在内蒙古自治区范围内（经度 97.17–126.07，纬度 37.4–53.39）"
        assert message in page
        errors = response.context["form"].errors
        assert list(errors) == [field] and message in errors[field][0]
    assert not TipOff.objects.exists()
    assert post_report(client, latitude="41.756304", longitude="110.288181").status_code == 302
    assert TipOff.objects.get().latitude is not None


def test_the_reporter_contact_is_encrypted_at_rest(reference):
    from django.db import connection

    tipoff = submitted()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone FROM tipoffs_tipoff WHERE id = %s", [tipoff.pk])
        stored = cursor.fetchone()
    assert NAME not in stored[0] and PHONE not in stored[1]
    assert TipOff.objects.get().reporter_phone == PHONE


def test_an_unknown_code_is_not_found(reference):
    assert Client().get("/gongkai/report/not-a-code/").status_code == 404


def test_a_wrong_captcha_answer_is_refused_with_a_message_and_a_new_question(reference):
    client = Client()
    response = post_report(client, wrong=True)
    page = response.content.decode()
    assert response.status_code == 200 and "验证问题回答错误" in page
    assert not TipOff.objects.exists()
    assert WHAT in page  # the reporter's input is kept
    # The question is one-time: replaying the right answer of an old question fails too.
    old = question_answer(client.get("/gongkai/report/").content.decode())
    client.get("/gongkai/report/")  # a new question replaces it
    client.post("/gongkai/report/", form_data(captcha=old))
    assert TipOff.objects.count() <= 1  # at most by chance the same sum


def test_the_captcha_cannot_be_skipped(reference):
    response = Client().post("/gongkai/report/", form_data(captcha="2"))
    assert response.status_code == 200 and not TipOff.objects.exists()


def test_too_many_tipoffs_from_one_address_get_a_429_page(reference, settings):
    settings.TIPOFF_RATE_PER_HOUR = 2
    client = Client()
    assert post_report(client).status_code == 302
    assert post_report(client).status_code == 302
    response = post_report(client)
    assert response.status_code == 429 and "已达上限" in response.content.decode()
    assert TipOff.objects.count() == 2


def test_a_photo_is_stored_without_exif_and_keeps_its_gps(reference):
    client = Client()
    page = client.get("/gongkai/report/").content.decode()
    photo = SimpleUploadedFile("现场.jpg", jpeg_with_gps_and_exif(), content_type="image/jpeg")
    response = client.post("/gongkai/report/", {**form_data(captcha=question_answer(page)), "photos": [photo]})
    assert response.status_code == 302
    stored = TipOffPhoto.objects.get()
    data = stored.file.open("rb").read()
    assert b"SecretCam" not in data and not Image.open(io.BytesIO(data)).getexif()
    assert round(float(stored.gps_latitude), 3) == 40.583 and round(float(stored.gps_longitude), 3) == 110.033


def test_too_many_photos_or_a_fake_one_are_refused_naming_the_field(reference, settings):
    settings.TIPOFF_PHOTOS_MAX = 1
    client = Client()
    page = client.get("/gongkai/report/").content.decode()
    photos = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps_and_exif(), content_type="image/jpeg") for i in (1, 2)]
    response = client.post("/gongkai/report/", {**form_data(captcha=question_answer(page)), "photos": photos})
    assert "照片最多 1 张" in response.content.decode() and not TipOff.objects.exists()
    page = client.get("/gongkai/report/").content.decode()
    fake = SimpleUploadedFile("假.jpg", b"MZ not an image", content_type="image/jpeg")
    response = client.post("/gongkai/report/", {**form_data(captcha=question_answer(page)), "photos": [fake]})
    assert response.status_code == 200 and "假.jpg" in response.content.decode() and not TipOff.objects.exists()


def test_a_project_page_links_to_the_form_prefilled(reference):
    project = Project.objects.create(ledger_no="T-TIP-1", name="东河区公开的某学校", region_id="150202",
                                     prefecture_id="150200", category_id="A03", kind="idle", status="in_ledger")
    page = Client().get(f"/gongkai/projects/{project.pk}/").content.decode()
    assert f"/gongkai/report/?project={project.pk}" in page
    form = Client().get(f"/gongkai/report/?project={project.pk}").content.decode()
    assert 'value="东河区公开的某学校"' in form
    hidden = Project.objects.create(ledger_no="T-TIP-2", name="涉密的某设施", region_id="150202",
                                    prefecture_id="150200", category_id="A02", kind="idle", status="in_ledger",
                                    classified=True)
    assert "涉密的某设施" not in Client().get(f"/gongkai/report/?project={hidden.pk}").content.decode()


# ---- moderation ---------------------------------------------------------------------------------------------------

def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_is_the_region_of_the_place_and_the_office(users):
    here, there = submitted(), services.submit(actor=Actor(user=None), what="赤峰某馆", region="150402",
                                               kind="idle", description="停工")
    assert set(TipOff.objects.restrict(users["county"])) == {here}
    assert set(TipOff.objects.restrict(users["region"])) == {here}
    assert set(TipOff.objects.restrict(users["office"])) == {here, there}
    for role in ("department", "department_gat", "unit", "sysadmin", "auditor"):
        assert not TipOff.objects.restrict(users[role]).exists(), role
    page = signed_in(users["county"]).get(f"/tipoffs/{here.pk}/").content.decode()
    assert "王**" in page and "138****5678" in page and PHONE not in page  # the contact, masked
    assert signed_in(users["county"]).get(f"/tipoffs/{there.pk}/").status_code == 404


def test_accept_makes_a_candidate_project_with_the_tipoff_as_its_source(users):
    tipoff = submitted()
    response = signed_in(users["county"]).post(f"/tipoffs/{tipoff.pk}/accept/", {
        "name": "东河区某小学教学楼（线索）", "category": "A03", "department": "JYT", "answer": "已列入核实"})
    assert response.status_code == 302
    tipoff.refresh_from_db()
    assert tipoff.status == "accepted" and tipoff.public_answer == "已列入核实"
    project = tipoff.project
    assert project.status == "candidate" and project.region_id == "150202" and project.content == SECRET_TEXT
    source = ChangeLog.objects.get(action="tipoff_source", project_id=project.pk)
    assert tipoff.code in str(source.after)
    assert ChangeLog.objects.filter(action="tipoff_accept", object_id=str(tipoff.pk), project_id=project.pk).exists()
    page = Client().get(f"/gongkai/report/{tipoff.code}/").content.decode()
    assert "已列入核实" in page and "已受理" in page
    assert f"/gongkai/projects/{project.pk}/" not in page  # a candidate is not public


def test_link_proposes_duplicates_by_name_and_distance_and_links(users):
    from decimal import Decimal

    same = Project.objects.create(ledger_no="T-TIP-3", name="东河区某小学教学楼", region_id="150202",
                                  prefecture_id="150200", category_id="A03", kind="stalled", status="in_ledger")
    near = Project.objects.create(ledger_no="T-TIP-4", name="完全不同的名字", region_id="150202",
                                  prefecture_id="150200", category_id="A03", kind="stalled", status="in_ledger",
                                  latitude=Decimal("40.5800"), longitude=Decimal("110.0300"))
    Project.objects.create(ledger_no="T-TIP-5", name="无关的体育馆", region_id="150202", prefecture_id="150200",
                           category_id="A03", kind="stalled", status="in_ledger")
    tipoff = submitted(latitude="40.5810", longitude="110.0310")
    found = [c.project.pk for c in selectors.duplicates(users["county"], tipoff)]
    assert found[0] == same.pk and set(found) == {same.pk, near.pk}
    page = signed_in(users["county"]).get(f"/tipoffs/{tipoff.pk}/").content.decode()
    assert f'data-duplicate="{same.pk}"' in page
    response = signed_in(users["county"]).post(f"/tipoffs/{tipoff.pk}/link/", {"project": same.pk})
    assert response.status_code == 302
    tipoff.refresh_from_db()
    assert tipoff.status == "linked" and tipoff.project == same
    assert ChangeLog.objects.filter(action="tipoff_link", project_id=same.pk).exists()
    page = Client().get(f"/gongkai/report/{tipoff.code}/").content.decode()
    assert f"/gongkai/projects/{same.pk}/" in page and "正在处置" in page


def test_link_to_a_project_the_moderator_cannot_see_is_refused(users, projects):
    tipoff = submitted()
    client = signed_in(users["county"])
    response = client.post(f"/tipoffs/{tipoff.pk}/link/", {"project": projects["classified"].pk}, follow=True)
    assert "关联项目不存在，或您无权查看" in response.content.decode()
    tipoff.refresh_from_db()
    assert tipoff.status == "received"


def test_reject_needs_a_public_reason_which_the_tracking_page_shows(users):
    tipoff = submitted()
    client = signed_in(users["office"])
    response = client.post(f"/tipoffs/{tipoff.pk}/reject/", {"answer": ""}, follow=True)
    assert "必须填写" in response.content.decode()
    client.post(f"/tipoffs/{tipoff.pk}/reject/", {"answer": "经核实该项目已于去年投入使用"})
    tipoff.refresh_from_db()
    assert tipoff.status == "rejected"
    entry = ChangeLog.objects.get(action="tipoff_reject", object_id=str(tipoff.pk))
    assert entry.reason == "经核实该项目已于去年投入使用"
    assert "经核实该项目已于去年投入使用" in Client().get(f"/gongkai/report/{tipoff.code}/").content.decode()
    # Decided once: a second moderator's try is refused and changes nothing.
    response = signed_in(users["county"]).post(f"/tipoffs/{tipoff.pk}/link/", {"project": 1}, follow=True)
    tipoff.refresh_from_db()
    assert tipoff.status == "rejected"


def test_overdue_tipoffs_light_up_on_the_home_page(users, settings):
    settings.TIPOFF_OVERDUE_DAYS = 3
    old, _new = submitted(what="老线索"), submitted(what="新线索")
    TipOff.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=4))
    from halfbuilt.tipoffs.queues import queue_counts

    counts = {q.key: q.count for q in queue_counts(users["county"])}
    assert counts == {"tipoffs_waiting": 2, "tipoffs_overdue": 1}
    assert queue_counts(users["unit"]) == []
    page = signed_in(users["county"]).get("/").content.decode()
    assert "线索已逾期" in page
    listed = signed_in(users["county"]).get("/tipoffs/?overdue=1").content.decode()
    assert "老线索" in listed and "新线索" not in listed


def test_the_dashboard_counts_the_overdue_tipoffs_of_the_moderation_scope_linking_to_them(users, settings):
    """The office sees every overdue tip-off, Baotou's government those of its counties, Donghe's its own: the
    dashboard's figure is that number and its link the moderation list, which counts and lists the same ones.
    Waiting but not overdue, and overdue but already answered, do not count. A department has no figure."""
    settings.TIPOFF_OVERDUE_DAYS = 3
    long_ago = timezone.now() - dt.timedelta(days=4)

    def tipoff(region: str, *, overdue: bool = True, status: str = "received") -> TipOff:
        made = TipOff.objects.create(what=f"逾期线索{region}", region_id=region, prefecture_id=region[:4] + "00",
                                     kind="stalled", description="……", status=status)
        if overdue:
            TipOff.objects.filter(pk=made.pk).update(created_at=long_ago)
        return made

    donghe = [tipoff("150202"), tipoff("150202")]
    kundulun = tipoff("150203")  # Baotou's, not Donghe's
    chifeng = tipoff("150402")
    tipoff("150202", overdue=False)
    tipoff("150202", status="rejected")
    expected = {"office": {*donghe, kundulun, chifeng}, "region": {*donghe, kundulun}, "county": set(donghe)}
    for role, tipoffs in expected.items():
        client = signed_in(users[role])
        page = client.get("/dashboard/").content.decode()
        url, n = re.search(r'<a href="([^"]+)" data-figure="tipoffs_overdue" data-warning="(\d+)">', page).groups()
        assert int(n) == len(tipoffs), role
        listed = client.get(html.unescape(url)).content.decode()
        assert re.search(r'共 <strong data-count="(\d+)">', listed).group(1) == n, role
        assert set(map(int, re.findall(r'data-tipoff="(\d+)"', listed))) == {t.pk for t in tipoffs}, role
    assert 'data-figure="tipoffs_overdue"' not in signed_in(users["department"]).get("/dashboard/").content.decode()


def test_moderators_see_the_reporters_contact_masked_and_each_reveal_is_logged(users):
    from halfbuilt.audit.registry import action_label

    tipoff = submitted()
    moderator = signed_in(users["county"])
    page = moderator.get(f"/tipoffs/{tipoff.pk}/").content.decode()
    assert "王**" in page and "138****5678" in page and NAME not in page and PHONE not in page
    assert "查看完整联系方式" in page
    assert not ChangeLog.objects.filter(action="personal_data_view").exists()  # a look at the page is no reveal

    shown = moderator.post(f"/tipoffs/{tipoff.pk}/contacts/")
    assert shown.status_code == 200
    body = shown.content.decode()
    assert NAME in body and PHONE in body and "查看完整联系方式" not in body
    entry = ChangeLog.objects.get(action="personal_data_view")
    assert (entry.object_type, entry.object_id) == ("tipoff", str(tipoff.pk))
    assert entry.user == users["county"] and entry.username == users["county"].username
    assert entry.after == {"fields": ["reporter_name", "reporter_phone"]}
    assert action_label(entry.action) == "查看个人信息"
    moderator.post(f"/tipoffs/{tipoff.pk}/contacts/")
    assert ChangeLog.objects.filter(action="personal_data_view").count() == 2  # one entry per reveal


def test_the_reveal_of_a_tipoff_elsewhere_is_not_found_and_not_logged(users):
    chifeng = TipOff.objects.create(what="赤峰的线索", region_id="150402", prefecture_id="150400", kind="stalled",
                                    description="……", reporter_name=NAME, reporter_phone=PHONE)
    for role in ("county", "region"):  # Donghe's and Baotou's governments moderate other places
        response = signed_in(users[role]).post(f"/tipoffs/{chifeng.pk}/contacts/")
        assert response.status_code == 404 and PHONE not in response.content.decode()
    assert signed_in(users["unit"]).post(f"/tipoffs/{chifeng.pk}/contacts/").status_code == 403
    assert not ChangeLog.objects.filter(action="personal_data_view").exists()
    assert signed_in(users["office"]).post(f"/tipoffs/{chifeng.pk}/contacts/").status_code == 200
    assert ChangeLog.objects.get(action="personal_data_view").user == users["office"]


# ---- Open311 GeoReport v2 -----------------------------------------------------------------------------------------

def test_open311_services_and_a_request_round_trip(reference):
    client = Client()
    services_list = client.get("/open311/v2/services.json").json()
    assert {s["service_code"] for s in services_list} == {"stalled", "idle"}
    assert all({"service_name", "metadata", "type"} <= set(s) for s in services_list)
    response = client.post("/open311/v2/requests.json", {
        "service_code": "idle", "jurisdiction_id": "150202", "lat": "40.58", "long": "110.03",
        "address_string": "东河区某路", "description": SECRET_TEXT, "first_name": "小明", "last_name": "王",
        "phone": PHONE})
    assert response.status_code == 201
    code = response.json()[0]["service_request_id"]
    tipoff = TipOff.objects.get(code=code)
    assert tipoff.reporter_name == "王 小明" and tipoff.kind == "idle"
    one = client.get(f"/open311/v2/requests/{code}.json").json()
    assert one[0]["service_request_id"] == code and one[0]["status"] == "open"
    many = client.get("/open311/v2/requests.json", {"service_request_id": f"{code},nope"}).json()
    assert [r["service_request_id"] for r in many] == [code]
    for body in (one, many):
        assert SECRET_TEXT not in str(body) and PHONE not in str(body) and "东河区某路" not in str(body)


def test_open311_refuses_a_listing_a_bad_request_and_an_unknown_id(reference):
    client = Client()
    assert client.get("/open311/v2/requests.json").status_code == 400  # would hand out others' codes
    bad = client.post("/open311/v2/requests.json", {"service_code": "x", "jurisdiction_id": "150202"})
    assert bad.status_code == 400 and "service_code" in bad.json()[0]["description"]
    missing = client.post("/open311/v2/requests.json", {"service_code": "idle", "description": "停工"})
    assert missing.status_code == 400 and "jurisdiction_id" in missing.json()[0]["description"]
    assert client.get("/open311/v2/requests/nope.json").status_code == 404
