"""The browser pages, per persona: scope, input errors, conflicts, evidence, review."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obligations.models import Milestone, Notification, ProgressReport, Task

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def people(seeded):
    User = get_user_model()
    return {u.username: u for u in User.objects.all()}


def as_user(client, people, name):
    client.force_login(people[name])
    return client


def fupin_task(code="二.(五)"):
    return Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                            obligation__code=code, unit__name="扶贫办")


def minzheng_task():
    return Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                            obligation__code="三.(二)", unit__name="民政局")


def report_data(task, **extra):
    data = {"version": task.version, "status": "in_progress", "percent": "40",
            "narrative": "已完成摸底。", "milestone": ""}
    data.update(extra)
    return data


def test_anonymous_users_are_sent_to_login(client, seeded):
    response = client.get(reverse("obligations:tasks"))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_official_sees_only_own_units_tasks(client, people):
    response = as_user(client, people, "longde_fupin").get(reverse("obligations:tasks"))
    page = response.content.decode()
    assert response.status_code == 200 and "我的任务" in page
    units = {t.unit.name for t in response.context["page"].paginator.object_list}
    assert units == {"扶贫办"}
    assert "民政局" not in {t.unit.name for t in response.context["page"]}


@pytest.mark.parametrize("view", ["obligations:task", "obligations:report"])
def test_official_cannot_open_another_units_task(client, people, view):
    other = minzheng_task()
    response = as_user(client, people, "longde_fupin").get(reverse(view, args=[other.pk]))
    assert response.status_code == 404
    assert other.obligation.title not in response.content.decode()


def test_official_cannot_post_a_report_on_another_units_task(client, people):
    other = minzheng_task()
    response = as_user(client, people, "longde_fupin").post(
        reverse("obligations:report", args=[other.pk]), report_data(other))
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_county_official_of_fushun_cannot_see_longde(client, people):
    response = as_user(client, people, "xinbin").get(reverse("obligations:task", args=[fupin_task().pk]))
    assert response.status_code == 404
    tasks = as_user(client, people, "xinbin").get(reverse("obligations:tasks")).context["page"]
    assert {t.unit.name for t in tasks} == {"新宾满族自治县人民政府"}


def test_supervisor_sees_region_tasks_but_cannot_report(client, people):
    task = fupin_task()
    client = as_user(client, people, "longde_nongban")
    detail = client.get(reverse("obligations:task", args=[task.pk]))
    assert detail.status_code == 200 and task.obligation.title in detail.content.decode()
    response = client.get(reverse("obligations:report", args=[task.pk]))
    assert response.status_code == 403
    assert task.obligation.title not in response.content.decode()


def test_task_page_shows_text_units_people_deadline_and_milestones(client, people):
    task = fupin_task("二.(二)")
    page = as_user(client, people, "longde_fupin").get(reverse("obligations:task", args=[task.pk])).content.decode()
    for expected in ("健全防返贫动态监测帮扶机制", "陈国栋", "辛学发", "2021年5月30日完成并长期坚持",
                     "各乡（镇）", "城关镇人民政府", "2021年5月30日"):
        assert expected in page


def test_report_form_is_prefilled_from_the_last_report(client, people):
    task = fupin_task()
    client = as_user(client, people, "longde_fupin")
    client.post(reverse("obligations:report", args=[task.pk]),
                report_data(task, narrative="第一季度已建台账。", percent="30"))
    form = client.get(reverse("obligations:report", args=[task.pk])).context["form"]
    assert form.initial["narrative"] == "第一季度已建台账。" and form.initial["percent"] == 30


def test_report_saves_and_is_recorded_in_history(client, people):
    task = fupin_task()
    response = as_user(client, people, "longde_fupin").post(
        reverse("obligations:report", args=[task.pk]), report_data(task))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.status, report.percent, report.review) == ("in_progress", 40, "submitted")
    task.refresh_from_db()
    assert task.status == "in_progress" and task.version == 1
    entry = task.audit.get()
    assert entry.before["status"] == "not_started" and entry.after["status"] == "in_progress"
    page = client.get(reverse("obligations:task", args=[task.pk])).content.decode()
    assert "已完成摸底。" in page and "待审核" in page


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"percent": "120"}, "完成百分比不能大于 100"),
        ({"percent": "abc"}, "完成百分比须为 0 到 100 之间的整数"),
        ({"status": "done", "narrative": ""}, "须填写进展情况"),
        ({"status": "done"}, "须至少附一份佐证材料"),
        ({"status": "bogus"}, "选择一个有效的选项"),
    ],
)
def test_bad_report_input_is_refused_in_chinese_and_nothing_saved(client, people, extra, message):
    task = fupin_task()
    response = as_user(client, people, "longde_fupin").post(
        reverse("obligations:report", args=[task.pk]), report_data(task, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()
    task.refresh_from_db()
    assert task.version == 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("说明.pdf", b"MZ\x90\x00 not a pdf at all", "不是允许的文件类型"),
        ("照片.pdf", PNG, "不是允许的文件类型"),  # a PNG named .pdf
        ("宏.docx", b"PK\x03\x04broken zip", "不是允许的文件类型"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_evidence_is_checked_by_content(client, people, name, content, message):
    task = fupin_task()
    upload = SimpleUploadedFile(name, content)
    response = as_user(client, people, "longde_fupin").post(
        reverse("obligations:report", args=[task.pk]),
        {**report_data(task, status="done"), "uploads": [upload]})
    assert message in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_evidence_over_the_size_limit_is_refused(client, people, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    task = fupin_task()
    upload = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048)
    response = as_user(client, people, "longde_fupin").post(
        reverse("obligations:report", args=[task.pk]),
        {**report_data(task, status="done"), "uploads": [upload]})
    assert "超过大小限制" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_completed_report_with_evidence_and_reuse_for_another_task(client, people):
    first, second = fupin_task("二.(五)"), fupin_task("二.(四)")
    client = as_user(client, people, "longde_fupin")
    files = [SimpleUploadedFile("台账.pdf", PDF), SimpleUploadedFile("方案.docx", docx_bytes())]
    response = client.post(reverse("obligations:report", args=[first.pk]),
                           {**report_data(first, status="done", percent="100"), "uploads": files})
    assert response.status_code == 302
    evidence = {e.kind: e for e in ProgressReport.objects.get(task=first).evidence.all()}
    assert sorted(evidence) == ["docx", "pdf"]
    # Report once: the same file backs the second task without uploading it again.
    response = client.post(reverse("obligations:report", args=[second.pk]),
                           {**report_data(second, status="done", percent="100"),
                            "reuse_evidence": [evidence["pdf"].pk]})
    assert response.status_code == 302
    assert list(ProgressReport.objects.get(task=second).evidence.all()) == [evidence["pdf"]]
    download = client.get(reverse("obligations:evidence", args=[evidence["pdf"].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_evidence_of_another_unit_cannot_be_reused_or_downloaded(client, people):
    first = fupin_task()
    as_user(client, people, "longde_fupin").post(
        reverse("obligations:report", args=[first.pk]),
        {**report_data(first, status="done", percent="100"), "uploads": [SimpleUploadedFile("台账.pdf", PDF)]})
    evidence = ProgressReport.objects.get().evidence.get()
    other = minzheng_task()
    client = as_user(client, people, "longde_minzheng")
    response = client.post(reverse("obligations:report", args=[other.pk]),
                           {**report_data(other, status="done"), "reuse_evidence": [evidence.pk]})
    assert "选择一个有效的选项" in response.content.decode()
    assert client.get(reverse("obligations:evidence", args=[evidence.pk])).status_code == 404


def test_concurrent_save_shows_what_changed_and_overwrites_nothing(client, people):
    task = fupin_task()
    stale = report_data(task, narrative="我的版本", percent="10")
    client = as_user(client, people, "longde_fupin")
    assert client.post(reverse("obligations:report", args=[task.pk]),
                       report_data(task, narrative="同事先提交的版本", percent="60")).status_code == 302
    response = client.post(reverse("obligations:report", args=[task.pk]), stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert "已被其他人更新" in page and "同事先提交的版本" in page and "60%" in page
    assert list(ProgressReport.objects.values_list("narrative", flat=True)) == ["同事先提交的版本"]
    # The form keeps the user's words and now carries the current version.
    assert response.context["form"]["narrative"].value() == "我的版本"


def submit(client, people, task, **extra):
    as_user(client, people, "longde_fupin").post(reverse("obligations:report", args=[task.pk]),
                                                 report_data(task, **extra))
    return ProgressReport.objects.filter(task=task).latest("id")


def test_supervisor_returns_with_comment_official_is_notified_and_resubmits(client, people):
    task = fupin_task()
    report = submit(client, people, task)
    supervisor = as_user(client, people, "longde_nongban")
    queue = supervisor.get(reverse("obligations:review"))
    assert report in queue.context["page"].object_list
    refused = supervisor.post(reverse("obligations:return", args=[report.pk]), {"comment": "  "})
    assert refused.status_code == 302
    report.refresh_from_db()
    assert report.review == "submitted"
    supervisor.post(reverse("obligations:return", args=[report.pk]), {"comment": "请补充台账照片。"})
    report.refresh_from_db()
    assert (report.review, report.review_comment) == ("returned", "请补充台账照片。")
    note = Notification.objects.get(user=people["longde_fupin"])
    assert note.kind == "returned" and "请补充台账照片" in note.body
    official = as_user(client, people, "longde_fupin")
    header = official.get(reverse("obligations:tasks")).content.decode()
    assert "未读通知" in header
    task.refresh_from_db()
    resubmitted = submit(client, people, task, narrative="已补充照片。")
    assert resubmitted.pk != report.pk and resubmitted.review == "submitted"


def test_approving_a_completion_closes_its_milestone(client, people):
    task = fupin_task()  # 2021年6月30日完成: one completion milestone
    milestone = task.milestones.get()
    as_user(client, people, "longde_fupin").post(
        reverse("obligations:report", args=[task.pk]),
        {**report_data(task, status="done", percent="100", milestone=milestone.pk),
         "uploads": [SimpleUploadedFile("台账.pdf", PDF)]})
    report = ProgressReport.objects.get()
    as_user(client, people, "longde_nongban").post(reverse("obligations:approve", args=[report.pk]))
    milestone.refresh_from_db()
    report.refresh_from_db()
    assert report.review == "approved" and milestone.status == Milestone.Status.CLOSED
    assert Notification.objects.get(user=people["longde_fupin"]).kind == "approved"


def test_bulk_approval_is_all_or_nothing_and_scoped(client, people):
    reports = [submit(client, people, fupin_task(code)) for code in ("二.(一)", "二.(二)")]
    supervisor = as_user(client, people, "longde_nongban")
    supervisor.post(reverse("obligations:approve_selected"), {"reports": [r.pk for r in reports]})
    assert set(ProgressReport.objects.values_list("review", flat=True)) == {"approved"}


def test_supervisor_cannot_review_outside_their_region(client, people):
    User = get_user_model()
    from obligations.models import Membership, Region, Unit

    fushun = User.objects.create_user("fushun_sup", password="x")
    Membership.objects.create(user=fushun, unit=Unit.objects.get(name="市乡村振兴局"),
                              role="supervisor", region=Region.objects.get(code="210400"))
    report = submit(client, people, fupin_task())
    client.force_login(fushun)
    assert report not in client.get(reverse("obligations:review")).context["page"].object_list
    assert client.post(reverse("obligations:approve", args=[report.pk])).status_code == 404
    assert client.post(reverse("obligations:return", args=[report.pk]), {"comment": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.review == "submitted"


def test_officials_and_leaders_cannot_review(client, people):
    report = submit(client, people, fupin_task())
    for name in ("longde_minzheng", "longde_leader"):
        client = as_user(client, people, name)
        assert client.get(reverse("obligations:review")).status_code == 403
        assert client.post(reverse("obligations:approve", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.review == "submitted"


def test_task_filters_search_sort_and_bad_filter_values(client, people):
    client = as_user(client, people, "longde_fupin")
    url = reverse("obligations:tasks")
    found = client.get(url, {"q": "闽宁"}).context["page"]
    assert [t.obligation.code for t in found] == ["五.(五)"]
    own = Task.objects.filter(unit__region__code="640423", unit__name="扶贫办")
    supports = client.get(url, {"role": "support"}).context["page"]
    assert supports.paginator.count == own.filter(role="support").count() > 0
    assert own.filter(role="lead").exists()  # so the filter has something to leave out
    assert {t.role for t in supports.paginator.object_list} == {"support"}
    by_code = client.get(url, {"sort": "code"}).context["page"]
    expected = own.order_by("obligation__document_id", "obligation__position", "id")
    assert [t.pk for t in by_code] == list(expected.values_list("pk", flat=True)[:len(by_code)])
    assert len(by_code) > 1
    bad = client.get(url, {"due_before": "明天", "light": "purple"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "输入一个有效的日期" in text and "选择一个有效的选项" in text
    red = client.get(url, {"light": "red"}).context["page"]
    assert all(t.current_light == "red" for t in red)


def test_task_list_sorted_by_unit_for_a_supervisor(client, people):
    client = as_user(client, people, "longde_nongban")
    page = client.get(reverse("obligations:tasks"), {"sort": "unit"}).context["page"]
    region = Task.objects.filter(unit__region__path__startswith="640000/640400/640423/")
    expected = region.order_by("unit__name", "obligation__position", "id").values_list("pk", flat=True)
    assert page.paginator.count == region.count()
    assert [t.pk for t in page] == list(expected[:len(page)]) and len(page) > 1
    assert len({t.unit_id for t in page.paginator.object_list}) > 1


def test_task_list_query_count_does_not_grow_with_2000_tasks(client, people, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from obligations.models import Obligation, PolicyDocument, Unit

    unit = Unit.objects.get(region__code="640423", name="扶贫办")
    client.force_login(people["longde_fupin"])
    url = reverse("obligations:tasks")
    client.get(url)  # warm the session
    settings.TASKS_PER_PAGE = 5
    with CaptureQueriesContext(connection) as few:
        few_page = client.get(url, {"sort": "-next_due"}).context["page"]
    document = PolicyDocument.objects.create(title="大量任务", level="county", region=unit.region)
    obligations = Obligation.objects.bulk_create([
        Obligation(document=document, kind="measure", code=str(i), position=i, title=f"措施{i}")
        for i in range(2000)])
    Task.objects.bulk_create([Task(obligation=o, unit=unit, role="lead") for o in obligations])
    settings.TASKS_PER_PAGE = 50
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"sort": "-next_due"})
    assert response.context["page"].paginator.count >= 2000
    # Ten times the rows on the page: a query per row would show.
    assert (len(few_page), len(response.context["page"])) == (5, 50)
    html = response.content.decode()
    assert all(reverse("obligations:task", args=[t.pk]) in html for t in response.context["page"])
    assert len(many) == len(few)


def test_email_goes_to_users_with_an_address(client, people, mailoutbox, django_capture_on_commit_callbacks):
    people["longde_fupin"].email = "fupin@example.gov.cn"
    people["longde_fupin"].save()
    report = submit(client, people, fupin_task())
    with django_capture_on_commit_callbacks(execute=True):
        as_user(client, people, "longde_nongban").post(
            reverse("obligations:return", args=[report.pk]), {"comment": "请补充材料。"})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["fupin@example.gov.cn"] and "退回" in mailoutbox[0].subject


def test_indicator_values_are_reported_with_the_form(client, people):
    from obligations.models import IndicatorValue, Membership, Unit

    agriculture = Unit.objects.get(region__code="640423", name="农业农村局")
    Membership.objects.create(user=people["longde_minzheng"], unit=agriculture, role="official")
    task = Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                            obligation__code="四.(四)", unit=agriculture)
    target = task.obligation.targets.get(name="卫生厕所普及率")
    client = as_user(client, people, "longde_minzheng")
    bad = client.post(reverse("obligations:report", args=[task.pk]),
                      report_data(task, indicator_year="2025", **{f"indicator_{target.pk}": "八十"}))
    assert "请填写数字" in bad.content.decode() and not IndicatorValue.objects.exists()
    client.post(reverse("obligations:report", args=[task.pk]),
                report_data(task, indicator_year="2025", **{f"indicator_{target.pk}": "78.5"}))
    value = IndicatorValue.objects.get(target=target)
    assert (value.value, value.year, value.region.name) == (78.5, 2025, "隆德县")
    page = client.get(reverse("obligations:task", args=[task.pk])).content.decode()
    assert "2025年 隆德县：78.5%" in page and "未达标" in page


def test_review_queue_and_inbox_query_counts_do_not_grow(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from obligations.services.reporting import notify

    codes = ["二.(一)", "二.(二)", "二.(三)", "二.(四)", "二.(五)", "三.(一)"]
    submit(client, people, fupin_task(codes[0]))
    notify(user=people["longde_nongban"], kind="reminder", title="提醒0")
    supervisor = as_user(client, people, "longde_nongban")
    supervisor.get(reverse("obligations:review"))
    with CaptureQueriesContext(connection) as few_review:
        few_queue = supervisor.get(reverse("obligations:review")).context["page"]
    with CaptureQueriesContext(connection) as few_inbox:
        few_notes = supervisor.get(reverse("obligations:notifications")).context["page"]
    for index, code in enumerate(codes[1:], start=1):
        submit(client, people, fupin_task(code))
        notify(user=people["longde_nongban"], kind="reminder", title=f"提醒{index}")
    supervisor = as_user(client, people, "longde_nongban")
    supervisor.get(reverse("obligations:review"))
    with CaptureQueriesContext(connection) as many_review:
        response = supervisor.get(reverse("obligations:review"))
    assert response.context["page"].paginator.count == len(codes)
    with CaptureQueriesContext(connection) as many_inbox:
        notes = supervisor.get(reverse("obligations:notifications")).context["page"]
    # The second pages render more rows than the first, so a query per row would show.
    assert (len(few_queue), len(response.context["page"])) == (1, len(codes))
    assert len(few_notes) < len(notes) and "提醒5" in [n.title for n in notes]
    assert len(many_review) == len(few_review)
    assert len(many_inbox) == len(few_inbox)


def test_reports_whose_author_account_is_gone_still_show(client, people):
    """A report keeps its history when the account that wrote it is deleted (SET_NULL)."""
    task = fupin_task()
    ProgressReport.objects.create(task=task, status="in_progress", percent=20, narrative="旧账号填报",
                                  submitted_by=None)
    client.force_login(people["longde_nongban"])
    detail = client.get(reverse("obligations:task", args=[task.pk]))
    assert detail.status_code == 200 and "（未记录）" in detail.content.decode()
    queue = client.get(reverse("obligations:review"))
    assert queue.status_code == 200 and "旧账号填报" in queue.content.decode()
    client.force_login(people["longde_fupin"])
    response = client.get(reverse("obligations:report", args=[task.pk]))
    assert response.status_code == 200
    assert f"填报进展：{task.obligation.title}" in response.content.decode()
