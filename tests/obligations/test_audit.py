"""Every state change in the register writes exactly one typed audit row, in the service that
makes it, naming who and what; a refused change writes none (monitoring's changes are in
tests/monitoring/test_audit_assessment.py)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from obligations.importers import parse_text
from obligations.models import (
    ApiClient,
    AuditEntry,
    ListImport,
    Obligation,
    PolicyDocument,
    ProgressReport,
    Region,
    Task,
    Unit,
)
from obligations.selectors.exports import responsibility_rows, to_xlsx
from obligations.services import reporting
from obligations.services.api_clients import create_api_client, revoke_api_client
from obligations.services.documents import save_parsed_document
from obligations.services.units import rename_unit
from tests.audit import audit_mark, nothing_written, the_one_entry

Action = AuditEntry.Action
LONGDE = "隆党发〔2021〕2号"


@pytest.fixture
def people(seeded):
    return {u.username: u for u in get_user_model().objects.all()}


def fupin_task() -> Task:
    return Task.objects.get(obligation__document__doc_number=LONGDE, obligation__code="二.(五)",
                            unit__name="扶贫办")


def submitted_report(people) -> ProgressReport:
    task = fupin_task()
    return reporting.report_progress(task=task, by=people["longde_fupin"],
                                     expected_version=task.version, status="in_progress",
                                     percent=40, narrative="已完成摸底。")


# Reports and reviews


def test_submitting_a_report_records_who_reported_on_which_task(people):
    task = fupin_task()
    mark = audit_mark()
    report = reporting.report_progress(task=task, by=people["longde_fupin"],
                                       expected_version=task.version, status="in_progress",
                                       percent=40, narrative="已完成摸底。")
    entry = the_one_entry(mark, action=Action.REPORT, actor=people["longde_fupin"],
                          subject=f"report:{report.pk}")
    assert (entry.task, entry.report) == (task, report)
    assert entry.before["status"] == "not_started" and entry.after["status"] == "in_progress"


def test_a_refused_report_records_nothing(people):
    task = fupin_task()
    mark = audit_mark()
    with pytest.raises(ValidationError):
        reporting.report_progress(task=task, by=people["longde_fupin"],
                                  expected_version=task.version, status="in_progress",
                                  percent=140)
    with pytest.raises(reporting.Conflict):  # a stale form
        reporting.report_progress(task=task, by=people["longde_fupin"],
                                  expected_version=task.version + 1, status="in_progress",
                                  percent=40)
    assert nothing_written(mark)


def test_approving_a_report_records_the_reviewer(people):
    report = submitted_report(people)
    mark = audit_mark()
    reporting.approve_report(report=report, by=people["longde_nongban"])
    entry = the_one_entry(mark, action=Action.APPROVED, actor=people["longde_nongban"],
                          subject=f"report:{report.pk}")
    assert (entry.before["review"], entry.after["review"]) == ("submitted", "approved")


def test_approving_a_report_twice_records_only_the_first_decision(people):
    report = submitted_report(people)
    reporting.approve_report(report=report, by=people["longde_nongban"])
    mark = audit_mark()
    with pytest.raises(ValidationError, match="不能重复审核"):
        reporting.approve_report(report=report, by=people["longde_nongban"])
    assert nothing_written(mark)


def test_returning_a_report_records_the_reviewer_and_the_comment(people):
    report = submitted_report(people)
    mark = audit_mark()
    reporting.return_report(report=report, by=people["longde_nongban"], comment="请补充台账。")
    entry = the_one_entry(mark, action=Action.RETURNED, actor=people["longde_nongban"],
                          subject=f"report:{report.pk}")
    assert entry.after["comment"] == "请补充台账。"


def test_returning_a_report_without_a_comment_records_nothing(people):
    report = submitted_report(people)
    mark = audit_mark()
    with pytest.raises(ValidationError):
        reporting.return_report(report=report, by=people["longde_nongban"], comment="  ")
    assert nothing_written(mark)


# Documents and lists

NEW_DOCUMENT = ("中共隆德县委办公室文件\n隆党办发〔2022〕9号\n关于做好2022年衔接工作的通知\n"
                "一、重点任务\n（一）巩固成果。做好监测帮扶工作。\n责任单位：扶贫办\n")


def test_importing_a_document_records_it(people):
    mark = audit_mark()
    document = save_parsed_document(parsed=parse_text(NEW_DOCUMENT, source_name="new.txt"),
                                    actor=people["admin"])
    entry = the_one_entry(mark, action=Action.DOCUMENT_IMPORT, actor=people["admin"],
                          subject=f"document:{document.pk}")
    assert entry.after["doc_number"] == "隆党办发〔2022〕9号" and "关于做好2022年衔接工作的通知" in entry.summary


def test_the_import_document_command_records_the_document_without_an_actor(seeded, tmp_path):
    path = tmp_path / "new.txt"
    path.write_text(NEW_DOCUMENT, encoding="utf-8")
    mark = audit_mark()
    call_command("import_document", str(path), stdout=io.StringIO())
    document = PolicyDocument.objects.get(doc_number="隆党办发〔2022〕9号")
    the_one_entry(mark, action=Action.DOCUMENT_IMPORT, actor=None,
                  subject=f"document:{document.pk}")


def test_reimporting_a_document_number_records_nothing(seeded):
    parsed = parse_text(NEW_DOCUMENT.replace("隆党办发〔2022〕9号", LONGDE), source_name="dup.txt")
    mark = audit_mark()
    with pytest.raises(ValidationError, match="已经导入"):
        save_parsed_document(parsed=parsed, actor=None)
    assert nothing_written(mark)


def test_loading_the_seed_records_each_document_it_imports(seeded):
    subjects = set(AuditEntry.objects.filter(action=Action.DOCUMENT_IMPORT)
                   .values_list("subject", flat=True))
    assert subjects == {f"document:{d.pk}" for d in seeded.values()}
    assert len(subjects) == 5


def _uploaded_list(client, admin, change) -> ListImport:
    document = PolicyDocument.objects.get(doc_number=LONGDE)
    workbook = load_workbook(io.BytesIO(to_xlsx(responsibility_rows(
        Obligation.objects.filter(kind="measure", document=document)))))
    change(workbook.worksheets[0])
    data = io.BytesIO()
    workbook.save(data)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin)
    client.post(reverse("obligations:list_import"),
                {"file": SimpleUploadedFile("清单.xlsx", data.getvalue()), "document": document.pk})
    return ListImport.objects.get()


def _deadline_of(code, words):
    def change(sheet):
        for row in sheet.iter_rows(min_row=2):
            if row[9].value == code:
                row[8].value = words
    return change


def test_confirming_a_list_import_records_one_row_for_the_upload(client, people):
    upload = _uploaded_list(client, people["admin"], _deadline_of("二.(五)", "2021年12月31日前"))
    mark = audit_mark()
    response = client.post(reverse("obligations:list_import_confirm", args=[upload.pk]),
                           follow=True)
    assert "已导入：新增 0 项，修改 1 项" in response.content.decode()
    entry = the_one_entry(mark, action=Action.LIST_IMPORT, actor=people["admin"],
                          subject=f"list_import:{upload.pk}")
    assert entry.after["sheets"][0]["change"] == 1
    upload.refresh_from_db()
    assert upload.applied_at is not None and upload.result["change"] == 1

    # Confirming again writes nothing, audit included.
    mark = audit_mark()
    response = client.post(reverse("obligations:list_import_confirm", args=[upload.pk]),
                           follow=True)
    assert "未重复写入" in response.content.decode()
    assert nothing_written(mark)


def test_a_list_with_problems_is_refused_and_records_nothing(client, people):
    upload = _uploaded_list(client, people["admin"], _deadline_of("二.(五)", "尽快"))
    mark = audit_mark()
    response = client.post(reverse("obligations:list_import_confirm", args=[upload.pk]),
                           follow=True)
    assert "清单中有问题，未导入任何内容" in response.content.decode()
    assert nothing_written(mark)
    upload.refresh_from_db()
    assert upload.applied_at is None


def test_a_list_previewed_before_the_register_moved_is_refused_and_records_nothing(client,
                                                                                    people):
    upload = _uploaded_list(client, people["admin"], _deadline_of("二.(五)", "2021年12月31日前"))
    Obligation.objects.filter(document__doc_number=LONGDE, code="二.(五)").update(title="改过的标题")
    mark = audit_mark()
    response = client.post(reverse("obligations:list_import_confirm", args=[upload.pk]),
                           follow=True)
    assert "预览之后系统中的数据有了变化" in response.content.decode()
    assert nothing_written(mark)


# Units and API clients, through the admin


def test_renaming_a_unit_in_the_admin_records_the_administrator(client, people):
    office = Unit.objects.get(region__code="640423", name="扶贫办")
    client.force_login(people["admin"])
    mark = audit_mark()
    client.post(reverse("admin:obligations_unitrename_add"),
                {"unit": office.pk, "new_name": "乡村振兴局", "renamed_on": "2021-09-01",
                 "note": "机构改革"})
    entry = the_one_entry(mark, action=Action.UNIT_RENAME, actor=people["admin"],
                          subject=f"unit:{office.pk}")
    assert (entry.before, entry.after["name"]) == ({"name": "扶贫办"}, "乡村振兴局")


def test_renaming_to_a_name_taken_in_the_region_records_nothing(seeded):
    office = Unit.objects.get(region__code="640423", name="扶贫办")
    mark = audit_mark()
    with pytest.raises(ValidationError):
        rename_unit(unit=office, new_name="民政局", renamed_on=datetime.date(2021, 9, 1),
                    actor=None)
    assert nothing_written(mark)


def test_creating_an_api_client_in_the_admin_records_it_without_the_key(client, people):
    client.force_login(people["admin"])
    mark = audit_mark()
    response = client.post(reverse("admin:obligations_apiclient_add"),
                           {"name": "民政系统", "region": Region.objects.get(code="640423").pk},
                           follow=True)
    api_client = ApiClient.objects.get(name="民政系统")
    entry = the_one_entry(mark, action=Action.API_CLIENT_CREATE, actor=people["admin"],
                          subject=f"api_client:{api_client.pk}")
    key = response.content.decode().split('<code class="api-key">')[1].split("</code>")[0]
    assert ApiClient.hash_key(key) == api_client.key_hash
    assert key not in str(entry.after) and key not in entry.summary


def test_an_api_client_with_a_taken_name_records_nothing(seeded):
    region = Region.objects.get(code="640423")
    create_api_client(name="民政系统", region=region, can_write=False, actor=None)
    mark = audit_mark()
    with pytest.raises(ValidationError):
        create_api_client(name="民政系统", region=region, can_write=True, actor=None)
    assert nothing_written(mark)


def test_revoking_an_api_client_in_the_admin_records_it_once(client, people):
    api_client, _key = create_api_client(name="民政系统", region=Region.objects.get(code="640423"),
                                         can_write=False, actor=None)
    client.force_login(people["admin"])
    mark = audit_mark()
    client.post(reverse("admin:obligations_apiclient_changelist"),
                {"action": "revoke", "_selected_action": [api_client.pk]})
    the_one_entry(mark, action=Action.API_CLIENT_REVOKE, actor=people["admin"],
                  subject=f"api_client:{api_client.pk}")
    api_client.refresh_from_db()
    assert api_client.revoked_at is not None and not api_client.user.is_active

    mark = audit_mark()
    assert revoke_api_client(client=api_client, actor=people["admin"]) is False
    assert nothing_written(mark)


# The audit in the admin


def test_the_audit_is_listed_by_action_in_the_admin_and_cannot_be_edited(client, people):
    report = submitted_report(people)
    client.force_login(people["admin"])
    page = client.get(reverse("admin:obligations_auditentry_changelist"),
                      {"action__exact": Action.REPORT}).content.decode()
    assert f"report:{report.pk}" in page and "提交进展报告" in page
    assert "document:" not in page  # the seed's imports are filtered out
    entry = AuditEntry.objects.get(action=Action.REPORT)
    assert client.get(reverse("admin:obligations_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:obligations_auditentry_delete",
                              args=[entry.pk])).status_code == 403
    client.post(reverse("admin:obligations_auditentry_change", args=[entry.pk]),
                {"summary": "改写"})
    entry.refresh_from_db()
    assert entry.summary != "改写"
