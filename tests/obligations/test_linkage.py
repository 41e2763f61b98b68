"""衔接清单 import (issue 23): the table read from a document, each row's old measure and its
successor found, a preview that shows what it could not find, nothing written until all is
resolved, then one disposition per task."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obligations.importers.errors import DocumentError
from obligations.importers.linkage import kind_of, read_linkage_list
from obligations.models import AuditEntry, Disposition, Task
from obligations.services import linkage
from tests.obligations.test_periods import DEMO_2026, closed  # noqa: F401 (the fixture)

# Written for this test, in other words than the demo list: other column names and order, a
# merged-looking empty cell, "继续执行" and "到期退出".
OTHER_LIST = "\n".join([
    "附件",
    "某县过渡期政策衔接情况表",
    "序号\t过渡期政策措施\t原条款\t处置意见\t常态化帮扶措施\t新条款\t备注",
    "1\t加强帮扶项目资产管理监督\t二.(五)\t继续执行\t加强帮扶项目资产常态化监管\t二.(一).3\t—",
    "2\t整治改善乡村环境\t四.(四)\t到期退出\t/\t/\t五年行动已结束",
    "3\t某项并不存在的措施\t九.(九)\t优化完善\t—\t—\t",
    "",
    "说明：本表由县委农办汇总。",
])


def test_the_table_is_read_by_its_header_whatever_the_column_names():
    rows = read_linkage_list(OTHER_LIST)
    assert [(r.old_code, r.kind, r.new_code) for r in rows] == [
        ("二.(五)", "continued", "二.(一).3"), ("四.(四)", "ended", ""), ("九.(九)", "optimised", "")]
    assert rows[1].note == "五年行动已结束" and rows[0].note == "" and rows[0].line == 4
    assert kind_of("调整完善") == "adjusted" and kind_of("已完成") == "done" and kind_of("待定") is None
    with pytest.raises(DocumentError, match="没有找到衔接清单表格"):
        read_linkage_list("一、总体要求\n二、主要任务\t牵头单位\t完成时限")


def nongban():
    return get_user_model().objects.get(username="longde_nongban")


def test_the_demo_list_resolves_and_disposes_with_successors(closed):  # noqa: F811
    rows = read_linkage_list((DEMO_2026 / "longde_2026_xianjie_qingdan.txt").read_text("utf-8"))
    assert len(rows) >= 10
    planned = linkage.plan_rows(rows, user=nongban())
    assert not [p.problems for p in planned if p.problems]
    assets = next(p for p in planned if p.row.old_code == "二.(五)")
    assert assets.successor.code == "二.(一).3" and assets.successor.document == closed
    count = linkage.apply_rows(planned, user=nongban())
    assert count == Disposition.objects.count() > 0
    assert AuditEntry.objects.filter(action="disposition").count() == count
    assert Disposition.objects.filter(task__obligation__code="二.(五)", kind="continued",
                                      successor__code="二.(一).3").exists()
    assert set(Disposition.objects.filter(kind="ended").values_list("reason", flat=True)) <= {
        p.row.note for p in planned if p.row.kind == "ended"}


def test_an_unfound_row_blocks_the_import_until_it_is_chosen(closed, client):  # noqa: F811
    client.force_login(nongban())
    upload = SimpleUploadedFile("清单.txt", OTHER_LIST.encode("utf-8"))
    response = client.post(reverse("obligations:linkage_upload"), {"file": upload})
    assert response.status_code == 302 and response.url == reverse("obligations:linkage_preview")
    page = client.get(response.url).content.decode()
    assert "九.(九) 某项并不存在的措施”找不到" in page and "data-unresolved" in page
    # Applying now writes nothing.
    client.post(reverse("obligations:linkage_preview"), {"apply": "1"})
    assert not Disposition.objects.exists()
    # Choosing the measure resolves the row; then it applies.
    other = linkage.ended_measures(nongban()).get(document__doc_number="隆党发〔2021〕2号",
                                                  code="二.(二)")
    line = read_linkage_list(OTHER_LIST)[2].line
    response = client.post(reverse("obligations:linkage_preview"),
                           {"apply": "1", f"old_{line}": str(other.pk)})
    assert response.status_code == 302
    assert Disposition.objects.filter(task__obligation=other, kind="optimised").exists()
    assert Disposition.objects.filter(task__obligation__code="四.(四)", kind="ended",
                                      reason="五年行动已结束").exists()


def test_rows_refused_by_the_rules_write_nothing(closed):  # noqa: F811
    rows = read_linkage_list(OTHER_LIST.replace("五年行动已结束", ""))
    planned = linkage.plan_rows(rows, user=nongban())
    assert any("退出须在“说明”中写明理由" in m for p in planned for m in p.problems)
    with pytest.raises(ValidationError):
        linkage.apply_rows(planned, user=nongban())
    assert not Disposition.objects.exists()


def test_only_supervisors_import_and_only_their_own_tasks_are_disposed(closed, client):  # noqa: F811
    client.force_login(get_user_model().objects.get(username="longde_fupin"))
    assert client.get(reverse("obligations:linkage_upload")).status_code == 403
    # 新宾's supervisor finds nothing of 隆德's to dispose.
    rows = read_linkage_list(OTHER_LIST)
    planned = linkage.plan_rows(rows, user=get_user_model().objects.get(username="xinbin_duban"))
    assert all(p.old is None and not p.tasks for p in planned)
    assert not Task.objects.filter(disposition__isnull=False).exists()
