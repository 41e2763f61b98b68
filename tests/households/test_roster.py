"""The roster import (花名册): problems by row and column, nothing written while any remains,
the same person twice or already registered refused without decrypting, masked preview, the
file waiting in the cache only encrypted, one audit row."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from openpyxl import Workbook

from households.models import Household, Member
from households.services.roster import TEMPLATE, apply_roster, plan_roster
from obligations.models import AuditEntry
from tests.households.conftest import id_number, make_household


def roster(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(TEMPLATE)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(code, name, relation, number, village="北关村", **extra):
    values = {"户类型": "一般农户", "健康状况": "健康", "劳动能力": "普通劳动力", "在校情况": "",
              "务工就业": "否", "纳入低保": "否", "纳入特困供养": "否", "联系电话": "", "残疾等级": "",
              **extra}
    return [code, village, values["户类型"], name, relation, number, values["联系电话"],
            values["健康状况"], values["残疾等级"], values["劳动能力"], values["在校情况"],
            values["务工就业"], values["纳入低保"], values["纳入特困供养"]]


def test_a_clean_roster_is_written_in_one_go(hh_world):
    data = roster([_row("R-1", "马德明", "户主", id_number(41), 联系电话="13800001111"),
                   _row("R-1", "马春花", "配偶", id_number(42)),
                   _row("R-2", "苏学文", "户主", id_number(43), village="640423100202")])
    plan = plan_roster(data, file_name="花名册.xlsx", user=hh_world.users["longde_chengguan"])
    assert plan.problems == [] and (len(plan.households), plan.members) == (2, 3)
    assert all("********" in r["id_number"] for r in plan.preview)
    result = apply_roster(plan, actor=hh_world.users["longde_chengguan"])
    assert result == {"households": 2, "members": 3}
    assert Household.objects.get(code="R-1").head_name == "马德明"
    assert Member.objects.get(name="马德明").phone_masked == "138****1111"
    assert AuditEntry.objects.filter(summary__contains="导入花名册").count() == 1


def test_problems_by_row_and_column_and_nothing_written(hh_world):
    make_household(hh_world.village, hh_world.users["admin"], id_number=id_number(50))
    wrong = id_number(44)[:-1] + ("0" if id_number(44)[-1] != "0" else "1")
    data = roster([_row("R-1", "马德明", "户主", id_number(45)),
                   _row("R-1", "马春花", "配偶", id_number(45)),           # same person again
                   _row("R-2", "苏学文", "户主", wrong),                    # checksum
                   _row("R-3", "", "户主", id_number(46)),                  # no name
                   _row("R-4", "海燕", "户主", id_number(47), village="赫图阿拉村"),  # out of reach
                   _row("R-5", "王", "表哥", id_number(48)),                # relation
                   _row("R-6", "李文", "子女", id_number(49)),              # no head
                   _row("R-7", "刘永", "户主", id_number(50)),              # registered already
                   _row("R-8", "赵金花", "户主", id_number(51), 纳入低保="可能")])
    plan = plan_roster(data, file_name="花名册.xlsx", user=hh_world.users["longde_beiguan"])
    found = {(p.row, p.column.split("列")[0] if p.column else "", p.message[:6]) for p in plan.problems}
    text = "\n".join(f"{p.where} {p.message}" for p in plan.problems)
    assert "第3行 F列“身份证号” 与第2行是同一人" in text
    assert "第4行 F列“身份证号” 身份证号校验位不正确" in text
    assert "第5行 D列“姓名” 不能为空" in text
    assert re.search(r"第6行 B列“所在村” “赫图阿拉村”不是您可以登记的村", text)
    assert re.search(r"第7行 E列“与户主关系” “表哥”不是可选的值", text)
    assert "户编号 R-6 没有“户主”" in text
    assert "第9行 F列“身份证号” 已登记在北关村的农户 HH-001" in text
    assert "第10行 M列“纳入低保” 须填“是”或“否”" in text
    assert found
    with pytest.raises(ValueError):
        apply_roster(plan, actor=hh_world.users["longde_beiguan"])
    assert Member.objects.count() == 1


def test_the_import_pages_keep_the_file_encrypted(client, hh_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    number = id_number(60)
    client.force_login(hh_world.users["longde_beiguan"])
    response = client.post("/households/import/", {"file": SimpleUploadedFile(
        "北关村花名册.xlsx", roster([_row("R-9", "马永福", "户主", number)]))})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").split("/")[-1]
    stored = cache.get(f"households-roster:{token}")
    assert stored["data"].startswith("v1:") and number.encode() not in stored["data"].encode()
    page = client.get(response["Location"]).content.decode()
    assert number not in page and number[:6] + "********" + number[-4:] in page
    assert 'data-count="households">1<' in page
    client.force_login(hh_world.users["longde_chengguan"])  # someone else's upload
    assert client.get(response["Location"]).status_code == 404
    client.force_login(hh_world.users["longde_beiguan"])
    digest = re.search(r'name="digest" value="(\w+)"', page).group(1)
    client.post(f"/households/import/{token}/confirm/", {"digest": digest})
    assert Household.objects.filter(code="R-9").exists()
    client.post(f"/households/import/{token}/confirm/", {"digest": digest})  # again: nothing
    assert Member.objects.count() == 1
    assert "请上传 Excel" in client.post("/households/import/", {"file": SimpleUploadedFile(
        "名册.xls", b"x")}).content.decode()
