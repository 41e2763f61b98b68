"""Document intake in the browser: upload → parse (a Celery task) → preview → publish.
Nothing reaches the register before publishing; bad files get a Chinese message."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from obligations import tasks
from obligations.models import (
    AuditEntry,
    DocumentUpload,
    Membership,
    Obligation,
    PolicyDocument,
    Region,
    Task,
    Unit,
)
from obligations.services import intake
from tests.workers import celery_worker, worker_database_url

TEXT = """测试县人民政府办公室关于印发《测试县巩固拓展脱贫攻坚成果重点任务分工方案》的通知
测政办发〔2022〕5号
各乡镇人民政府，县直各部门：
现将《测试县巩固拓展脱贫攻坚成果重点任务分工方案》印发给你们，请认真贯彻落实。
测试县人民政府办公室
2022年3月1日
一、产业发展
（一）发展特色产业。培育壮大牛羊、马铃薯等特色产业。（牵头单位：县农业农村局；配合单位：县财政局、县统计局；完成时限：2022年12月31日）
（二）稳定就业帮扶。开发公益性岗位，稳定脱贫人口务工规模。（牵头单位：县人社局；配合单位：县财政局；完成时限：长期坚持）
"""


@pytest.fixture
def place(db):
    county = Region.objects.create(code="990101", name="测试县", level="county")
    Unit.objects.create(name="测试县农业农村局", region=county)
    Unit.objects.create(name="测试县财政局", region=county)
    Unit.objects.create(name="测试县人社局", region=county)
    admin = get_user_model().objects.create_superuser("boss", password="x")
    return county, admin


def _upload(client, name="分工方案.txt", content=None, region=None):
    content = TEXT.encode() if content is None else content
    return client.post(reverse("obligations:document_uploads"), {
        "file": SimpleUploadedFile(name, content), "region": region.pk if region else ""})


def test_upload_parse_preview_publish(client, place, django_capture_on_commit_callbacks):
    county, admin = place
    client.force_login(admin)
    with django_capture_on_commit_callbacks() as queued:
        response = _upload(client, region=county)
    upload = DocumentUpload.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{upload.pk}/")
    assert len(queued) == 1  # the parse is queued once the upload is committed
    page = client.get(reverse("obligations:document_upload", args=[upload.pk])).content.decode()
    assert "排队中" in page and "every 1s" in page  # the progress bar polls
    tasks.parse_upload(upload.pk)  # what the worker runs
    upload.refresh_from_db()
    assert upload.status == "parsed" and upload.progress == 100
    progress = client.get(reverse("obligations:document_upload_progress", args=[upload.pk]))
    assert progress.status_code == 204 and progress["HX-Refresh"] == "true"
    assert not PolicyDocument.objects.exists()  # nothing reaches the register before 发布
    page = client.get(reverse("obligations:document_upload", args=[upload.pk])).content.decode()
    assert "测政办发〔2022〕5号" in page and "发展特色产业" in page
    assert page.count('data-unit-status="known"') == 4  # 县农业农村局, 县财政局×2, 县人社局
    assert page.count('data-unit-status="new"') == 1 and "县统计局" in page
    assert "2022年12月31日" in page

    response = client.post(reverse("obligations:document_upload_publish", args=[upload.pk]))
    assert response.status_code == 302
    document = PolicyDocument.objects.get()
    assert document.doc_number == "测政办发〔2022〕5号"
    assert Obligation.objects.filter(document=document, kind="measure").count() == 2
    leads = set(Task.objects.filter(obligation__document=document, role="lead")
                .values_list("unit__name", flat=True))
    assert leads == {"测试县农业农村局", "测试县人社局"}
    assert Unit.objects.get(name="县统计局").needs_review  # new, flagged for review
    entry = AuditEntry.objects.get(action="document_import")
    assert entry.actor == admin and entry.subject == f"document:{document.pk}"
    upload.refresh_from_db()
    assert upload.status == "published" and upload.document == document
    again = client.post(reverse("obligations:document_upload_publish", args=[upload.pk]),
                        follow=True).content.decode()
    assert "已经发布，未重复写入" in again
    assert PolicyDocument.objects.count() == 1
    original = client.get(reverse("obligations:document_upload_file", args=[upload.pk]))
    assert b"".join(original.streaming_content) == TEXT.encode()


def test_the_same_text_uploaded_again_is_not_published_twice(client, place):
    county, admin = place
    client.force_login(admin)
    no_number = TEXT.replace("测政办发〔2022〕5号\n", "")
    for _ in range(2):
        _upload(client, content=no_number.encode(), region=county)
    first, second = DocumentUpload.objects.order_by("id")
    for item in (first, second):
        tasks.parse_upload(item.pk)
    client.post(reverse("obligations:document_upload_publish", args=[first.pk]))
    page = client.post(reverse("obligations:document_upload_publish", args=[second.pk]),
                       follow=True).content.decode()
    assert "内容相同的文件已在责任清单中" in page
    assert PolicyDocument.objects.count() == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("空文件.txt", b"", "是空文件"),
    ("旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
    ("假的.docx", b"not a word file at all", ""),
])
def test_bad_files_are_explained_and_nothing_is_written(client, place, name, content, message):
    county, admin = place
    client.force_login(admin)
    response = _upload(client, name=name, content=content, region=county)
    if response.status_code == 200:  # refused at upload
        page = response.content.decode()
        assert message in page and "上传未成功" in page
        assert not DocumentUpload.objects.exists()
    else:
        upload = DocumentUpload.objects.get()
        tasks.parse_upload(upload.pk)
        upload.refresh_from_db()
        assert upload.status == "failed" and message in upload.error and upload.error
        page = client.get(reverse("obligations:document_upload", args=[upload.pk]))
        assert upload.error in page.content.decode()
        assert "发布到责任清单" not in page.content.decode()
    assert not PolicyDocument.objects.exists()


def test_only_administrators_import_documents(client, place):
    county, admin = place
    client.force_login(admin)
    _upload(client, region=county)
    upload = DocumentUpload.objects.get()
    for role in ("official", "supervisor", "leader"):
        user = get_user_model().objects.create_user(f"county_{role}")
        unit = Unit.objects.first() if role == "official" else None
        Membership.objects.create(user=user, role=role, unit=unit,
                                  region=None if role == "official" else county)
        client.force_login(user)
        assert client.get(reverse("obligations:document_uploads")).status_code == 403
        for name in ("document_upload", "document_upload_file"):
            assert client.get(reverse(f"obligations:{name}", args=[upload.pk])).status_code == 403
        assert client.post(reverse("obligations:document_upload_publish",
                                   args=[upload.pk])).status_code == 403
    assert not PolicyDocument.objects.exists()


def test_the_parse_runs_on_a_real_worker(transactional_db):
    county = Region.objects.create(code="990101", name="测试县", level="county")
    admin = get_user_model().objects.create_superuser("boss", password="x")
    upload = intake.upload_document(upload_file=SimpleUploadedFile("方案.txt", TEXT.encode()),
                                    region=county, actor=admin)
    with celery_worker(DATABASE_URL=worker_database_url()) as queue:
        result = tasks.parse_upload.apply_async(args=[upload.pk], queue=queue)
        assert result.get(timeout=120) == {"upload": upload.pk, "status": "parsed"}
    upload.refresh_from_db()
    assert [n["code"] for n in upload.parsed["nodes"] if n["kind"] == "measure"] == [
        "一.(一)", "一.(二)"]


def test_the_same_through_the_api(client, place, django_capture_on_commit_callbacks):
    county, admin = place
    client.force_login(admin)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/api/v1/document-uploads/", {
            "file": SimpleUploadedFile("分工方案.txt", TEXT.encode()), "region": county.code})
    assert response.status_code == 201, response.content
    assert len(queued) == 1
    pk = response.json()["id"]
    assert response.json()["status"] == "queued"
    tasks.parse_upload(pk)
    body = client.get(f"/api/v1/document-uploads/{pk}/").json()
    assert body["status"] == "parsed" and body["preview"]["doc_number"] == "测政办发〔2022〕5号"
    first = body["preview"]["measures"][0]
    assert [(u["name"], u["role"], u["status"]) for u in first["units"]] == [
        ("县农业农村局", "lead", "known"), ("县财政局", "support", "known"),
        ("县统计局", "support", "new")]
    assert not PolicyDocument.objects.exists()
    published = client.post(f"/api/v1/document-uploads/{pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert PolicyDocument.objects.get().pk == published.json()["document"]
    again = client.post(f"/api/v1/document-uploads/{pk}/publish/")
    assert again.status_code == 400 and "已经发布" in str(again.json())
    bad = client.post("/api/v1/document-uploads/", {
        "file": SimpleUploadedFile("方案.txt", TEXT.encode()), "region": "000000"})
    assert bad.status_code == 400 and bad.json() == {"region": ["区划代码不存在。"]}


def test_api_tokens_and_officials_cannot_import(client, place):
    from obligations.services.api_clients import create_api_client

    county, admin = place
    _client, key = create_api_client(name="外部系统", region=county, can_write=True,
                                     units=county.units.all(), actor=admin)
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    response = client.post("/api/v1/document-uploads/", {
        "file": SimpleUploadedFile("方案.txt", TEXT.encode())}, **headers)
    assert response.status_code == 403 and "管理员" in response.json()["detail"]
    assert client.get("/api/v1/document-uploads/", **headers).status_code == 403
    assert not DocumentUpload.objects.exists()


def _parsed_upload(client, county):
    _upload(client, region=county)
    upload = DocumentUpload.objects.get()
    tasks.parse_upload(upload.pk)
    upload.refresh_from_db()
    return upload


def test_a_measure_is_corrected_in_the_preview_before_publishing(client, place):
    county, admin = place
    Unit.objects.create(name="测试县统计局", region=county)
    client.force_login(admin)
    upload = _parsed_upload(client, county)
    index = next(i for i, n in enumerate(upload.parsed["nodes"]) if n["code"] == "一.(二)")
    url = reverse("obligations:document_upload_correct", args=[upload.pk, index])
    form = client.get(url).content.decode()
    assert 'value="县人社局"' in form and 'value="长期坚持"' in form
    refused = client.post(url, {"code": "一.(一)", "lead_units": "县人社局",
                                "supporting_units": "", "deadline_text": ""})
    assert "已被另一项措施使用" in refused.content.decode()
    both = client.post(url, {"code": "一.(二)", "lead_units": "县人社局",
                             "supporting_units": "县人社局", "deadline_text": ""})
    assert "同一单位不能既牵头又配合" in both.content.decode()
    assert not AuditEntry.objects.filter(action="upload_correct").exists()
    response = client.post(url, {"code": "一.(二)", "lead_units": "县人社局、县统计局",
                                 "supporting_units": "县财政局", "deadline_text": "2022年9月30日"})
    assert response.status_code == 302 and response["Location"].endswith(f"#m{index}")
    entry = AuditEntry.objects.get(action="upload_correct")
    assert entry.before["lead"] == ["县人社局"] and entry.after["lead"] == ["县人社局", "县统计局"]
    assert entry.actor == admin
    page = client.get(reverse("obligations:document_upload", args=[upload.pk])).content.decode()
    assert "2022年9月30日前完成" in page
    client.post(reverse("obligations:document_upload_publish", args=[upload.pk]))
    leads = set(Task.objects.filter(obligation__code="一.(二)", role="lead")
                .values_list("unit__name", flat=True))
    assert leads == {"测试县人社局", "测试县统计局"}
    assert client.get(url).status_code == 404  # published: no more corrections


def test_a_new_unit_comes_with_the_closest_known_units(client, place):
    county, admin = place
    client.force_login(admin)
    text = TEXT.replace("县农业农村局；配合单位", "县农业局；配合单位")
    _upload(client, content=text.encode(), region=county)
    upload = DocumentUpload.objects.get()
    tasks.parse_upload(upload.pk)
    page = client.get(reverse("obligations:document_upload", args=[upload.pk])).content.decode()
    assert "相近：测试县农业农村局" in page


REVISED = (TEXT.replace("县财政局、县统计局；完成时限：2022年12月31日", "县统计局；完成时限：2022年9月30日")
           .replace("（二）稳定就业帮扶。开发公益性岗位，稳定脱贫人口务工规模。（牵头单位：县人社局；"
                    "配合单位：县财政局；完成时限：长期坚持）\n", "")
           + "（三）加强监测帮扶。每月开展排查。（牵头单位：县乡村振兴局；完成时限：每月）\n")


def test_a_revised_version_shows_its_changes_and_keeps_the_tasks_history(client, place):
    from obligations.models import ProgressReport
    from obligations.selectors.in_force import obligations_in_force

    county, admin = place
    client.force_login(admin)
    first = _parsed_upload(client, county)
    client.post(reverse("obligations:document_upload_publish", args=[first.pk]))
    document = PolicyDocument.objects.get()
    kept_task = Task.objects.get(obligation__code="一.(一)", role="lead")
    ProgressReport.objects.create(task=kept_task, status="in_progress", percent=30,
                                  narrative="已启动", submitted_by=admin)
    stopped = Obligation.objects.get(document=document, code="一.(二)")

    _upload(client, name="分工方案（修订）.txt", content=REVISED.encode(), region=county)
    second = DocumentUpload.objects.latest("id")
    tasks.parse_upload(second.pk)
    page = client.get(reverse("obligations:document_upload", args=[second.pk])).content.decode()
    assert "的修订版" in page
    assert "新增 1 项，修改 1 项，不变 0 项，删除 1 项" in page
    assert "2022年12月31日</del> → <ins>2022年9月30日" in page
    assert page.count('data-change="remove"') == 1

    response = client.post(reverse("obligations:document_upload_publish", args=[second.pk]),
                           {"reason": "就业帮扶另行发文"}, follow=True)
    assert "停止执行 1 项" in response.content.decode()
    assert PolicyDocument.objects.count() == 1
    kept_task.refresh_from_db()  # the same task, its report still there
    assert kept_task.reports.count() == 1
    changed = Obligation.objects.get(document=document, code="一.(一)")
    assert changed.deadline_text == "2022年9月30日"
    assert set(changed.unit_refs.filter(role="support").values_list("written_name", flat=True)) \
        == {"县统计局"}
    stopped.refresh_from_db()
    assert stopped.withdrawn_reason == "就业帮扶另行发文" and stopped.withdrawn_on
    assert stopped.tasks.exists()  # never deleted
    stopped_page = client.get(reverse("obligations:task", args=[stopped.tasks.first().pk]))
    assert "起停止执行：就业帮扶另行发文" in stopped_page.content.decode()
    # A 2022 document: its period has ended, so its tasks are in the archive of that period.
    listing = client.get(reverse("obligations:tasks"),
                         {"q": "稳定就业帮扶", "period": "archive"}).content.decode()
    assert listing.count("data-withdrawn") == stopped.tasks.count() == 2
    added = Obligation.objects.get(document=document, code="一.(三)")
    assert added.parent.code == "一" and added.title.startswith("加强监测帮扶")
    assert added.tasks.filter(role="lead").exists() and added.tasks.get().milestones.exists()
    actions = list(AuditEntry.objects.filter(action="document_revise").values_list("summary",
                                                                                flat=True))
    assert len(actions) == 3 and any("停止执行" in a for a in actions)
    import datetime

    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    codes = {i.obligation.code for i in obligations_in_force(region=county, on=tomorrow)}
    assert "一.(二)" not in codes


def test_a_revision_is_published_through_the_api_too(client, place):
    county, admin = place
    client.force_login(admin)
    first = _parsed_upload(client, county)
    client.post(f"/api/v1/document-uploads/{first.pk}/publish/")
    response = client.post("/api/v1/document-uploads/", {
        "file": SimpleUploadedFile("修订.txt", REVISED.encode()), "region": county.code})
    second = response.json()["id"]
    tasks.parse_upload(second)
    published = client.post(f"/api/v1/document-uploads/{second}/publish/",
                            {"reason": "另行发文"})
    assert published.status_code == 200, published.content
    assert PolicyDocument.objects.count() == 1
    assert Obligation.objects.get(code="一.(二)").withdrawn_reason == "另行发文"


def test_make_runs_demo_has_a_parsed_upload_waiting_to_be_published(client, place):
    from django.core.management import call_command

    call_command("demo_uploads", verbosity=0)
    call_command("demo_uploads", verbosity=0)  # once only
    upload = DocumentUpload.objects.get()
    assert upload.status == "parsed"
    assert len([n for n in upload.parsed["nodes"] if n["kind"] == "measure"]) == 13
    assert not PolicyDocument.objects.exists()


def test_another_countys_document_of_the_same_title_is_not_a_revision(client, place):
    county, admin = place
    other = Region.objects.create(code="990102", name="另一县", level="county")
    client.force_login(admin)
    no_number = TEXT.replace("测政办发〔2022〕5号\n", "")
    _upload(client, content=no_number.encode(), region=county)
    first = DocumentUpload.objects.get()
    tasks.parse_upload(first.pk)
    client.post(reverse("obligations:document_upload_publish", args=[first.pk]))
    elsewhere = no_number.replace("（二）稳定就业帮扶", "（二）稳定务工帮扶")
    _upload(client, content=elsewhere.encode(), region=other)
    second = DocumentUpload.objects.latest("id")
    tasks.parse_upload(second.pk)
    page = client.get(reverse("obligations:document_upload", args=[second.pk])).content.decode()
    assert "的修订版" not in page and "发布到责任清单" in page


def test_a_documents_attachments_are_kept(client, place):
    county, admin = place
    client.force_login(admin)
    text = TEXT.replace("测试县人民政府办公室\n2022年3月1日",
                        "附件：1.重点任务分工表\n2.监测对象认定标准\n测试县人民政府办公室\n2022年3月1日")
    _upload(client, content=text.encode(), region=county)
    upload = DocumentUpload.objects.get()
    tasks.parse_upload(upload.pk)
    page = client.get(reverse("obligations:document_upload", args=[upload.pk])).content.decode()
    assert "监测对象认定标准" in page
    client.post(reverse("obligations:document_upload_publish", args=[upload.pk]))
    assert any("监测对象认定标准" in a for a in PolicyDocument.objects.get().attachments)


def _queries(client, url, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


def test_intake_lists_and_preview_run_a_fixed_number_of_queries(client, place):
    county, admin = place
    client.force_login(admin)
    _upload(client, region=county)
    tasks.parse_upload(DocumentUpload.objects.get().pk)
    small = [_queries(client, reverse("obligations:document_uploads")),
             _queries(client, "/api/v1/document-uploads/")]
    for n in range(6):
        _upload(client, name=f"方案{n}.txt", content=TEXT.replace("5号", f"{n + 10}号").encode(),
                region=county)
    large = [_queries(client, reverse("obligations:document_uploads")),
             _queries(client, "/api/v1/document-uploads/")]
    assert [q for q, _r in small] == [q for q, _r in large]
    assert large[0][1].content.decode().count("/register/documents/") > \
        small[0][1].content.decode().count("/register/documents/")
    assert large[1][1].json()["count"] == 7 and small[1][1].json()["count"] == 1

    first = DocumentUpload.objects.earliest("id")
    few, page = _queries(client, reverse("obligations:document_upload", args=[first.pk]))
    more = TEXT + "".join(
        f"（{n}）新增措施{n}。加强第{n}项工作。（牵头单位：县财政局；配合单位：县农业农村局）\n"
        for n in "三四五六七八九十")
    _upload(client, name="更多措施.txt", content=more.replace("5号", "99号").encode(),
            region=county)
    bigger = DocumentUpload.objects.latest("id")
    tasks.parse_upload(bigger.pk)
    many, page_many = _queries(client, reverse("obligations:document_upload", args=[bigger.pk]))
    assert page_many.content.decode().count("data-code=") == 10 > page.content.decode().count(
        "data-code=") == 2
    assert many == few


def _index(upload, code):
    upload.refresh_from_db()
    return next(i for i, n in enumerate(upload.parsed["nodes"]) if n["code"] == code)


def test_a_measure_read_as_one_is_split_in_the_preview(client, place):
    county, admin = place
    client.force_login(admin)
    upload = _parsed_upload(client, county)
    index = _index(upload, "一.(一)")
    url = reverse("obligations:document_upload_split", args=[upload.pk, index])
    missing = client.post(url, {"at": "不在原文里的话", "new_code": "一.(一)2"})
    assert "找不到" in missing.content.decode()
    taken = client.post(url, {"at": "马铃薯", "new_code": "一.(二)"})
    assert "已被另一项措施使用" in taken.content.decode()
    assert not AuditEntry.objects.filter(action="upload_correct").exists()
    response = client.post(url, {"at": "马铃薯", "new_code": "一.(一)2"})
    assert response.status_code == 302
    upload.refresh_from_db()
    measures = [n for n in upload.parsed["nodes"] if n["kind"] == "measure"]
    assert [n["code"] for n in measures] == ["一.(一)", "一.(一)2", "一.(二)"]
    first, second = measures[0], measures[1]
    assert first["text"] == "培育壮大牛羊、" and second["text"].startswith("马铃薯等特色产业")
    assert first["title"] == "发展特色产业" and second["title"] == "马铃薯等特色产业"
    assert [u["name"] for u in second["units"] if u["role"] == "lead"] == ["县农业农村局"]
    entry = AuditEntry.objects.get(action="upload_correct")
    assert entry.after["codes"] == ["一.(一)", "一.(一)2"] and entry.actor == admin
    client.post(reverse("obligations:document_upload_publish", args=[upload.pk]))
    assert Task.objects.filter(obligation__code="一.(一)2", unit__name="测试县农业农村局",
                               role="lead").exists()


def test_two_measures_read_apart_are_merged_in_the_preview(client, place):
    county, admin = place
    client.force_login(admin)
    upload = _parsed_upload(client, county)
    last = _index(upload, "一.(二)")
    refused = client.post(reverse("obligations:document_upload_merge", args=[upload.pk, last]),
                          follow=True)
    assert "没有可合并的下一项" in refused.content.decode()
    first = _index(upload, "一.(一)")
    response = client.post(reverse("obligations:document_upload_merge", args=[upload.pk, first]))
    assert response.status_code == 302
    upload.refresh_from_db()
    measures = [n for n in upload.parsed["nodes"] if n["kind"] == "measure"]
    assert [n["code"] for n in measures] == ["一.(一)"]
    merged = measures[0]
    assert "稳定脱贫人口务工规模" in merged["text"]
    assert [u["name"] for u in merged["units"] if u["role"] == "lead"] == ["县农业农村局",
                                                                           "县人社局"]
    support = [u["name"] for u in merged["units"] if u["role"] == "support"]
    assert support == ["县财政局", "县统计局"]  # 县财政局 once, though both named it
    assert merged["deadline_text"] == "2022年12月31日；长期坚持"
    assert AuditEntry.objects.get(action="upload_correct").before["codes"] == ["一.(一)",
                                                                              "一.(二)"]


def test_the_period_is_read_from_the_date_and_corrected_in_the_preview(client, place):
    from obligations.models import Period

    county, admin = place
    client.force_login(admin)
    upload = _parsed_upload(client, county)  # dated 2022年3月1日: the 过渡期
    page = client.get(reverse("obligations:document_upload", args=[upload.pk])).content.decode()
    assert "过渡期（2021—2025）" in page and "按印发日期和标题判断" in page
    normalized = Period.objects.get(kind="normalized", region__isnull=True)
    url = reverse("obligations:document_upload_period", args=[upload.pk])
    client.post(url, {"period": "不是编号"})
    assert not AuditEntry.objects.filter(action="upload_correct").exists()  # refused, nothing
    client.post(url, {"period": str(normalized.pk)})
    page = client.get(reverse("obligations:document_upload", args=[upload.pk])).content.decode()
    assert "常态化帮扶（2026—）" in page and "已人工指定" in page
    assert AuditEntry.objects.filter(action="upload_correct", after__period_id=normalized.pk).exists()
    client.post(reverse("obligations:document_upload_publish", args=[upload.pk]))
    document = PolicyDocument.objects.get(doc_number="测政办发〔2022〕5号")
    assert document.period == normalized
    # Its tasks are live (the period runs on) and its "长期坚持" measure is checked on to next year.
    assert Task.objects.filter(obligation__document=document, live=True).exists()
    ongoing = Task.objects.filter(obligation__document=document, obligation__code="一.(二)").first()
    assert ongoing.milestones.filter(due_on__year=timezone.localdate().year + 1).exists()


@pytest.mark.django_db
def test_a_document_without_a_date_is_placed_by_its_wording():
    from obligations.models import Period

    assert Period.for_issue(title="2026年常态化防止返贫致贫帮扶工作要点").kind == "normalized"
    assert Period.for_issue(title="巩固拓展脱贫攻坚成果同乡村振兴有效衔接实施方案").kind == "transition"
