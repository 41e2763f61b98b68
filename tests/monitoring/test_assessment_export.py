"""The assessment of a year as Excel (one sheet per part, plus rankings) and as a print page."""

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.assessment import compute_assessment, publish_assessment
from obligations.models import Membership

D = datetime.date


@pytest.fixture
def scored(world):
    """东县 50.00 (parts 50/25/25/100), 西县 66.67; the city and its unit scored too."""
    world.hand_computed_2023()
    world.task(world.city_unit, D(2023, 6, 30))
    compute_assessment(2023)
    publish_assessment(2023, actor=None)
    User = get_user_model()
    world.city_leader = User.objects.create_user("city_leader")
    Membership.objects.create(user=world.city_leader, region=world.city, role="leader")
    world.west_leader = User.objects.create_user("west_leader")
    Membership.objects.create(user=world.west_leader, region=world.west, role="leader")
    return world


def workbook_for(client, user, year=2023):
    client.force_login(user)
    response = client.get(reverse("monitoring:assessment_excel", args=[year]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                    if response.streaming else response.content))


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_excel_has_the_rankings_and_one_sheet_per_part_with_formula_inputs(scored, client):
    book = workbook_for(client, scored.city_leader)
    assert book.sheetnames[0] == "排名"
    assert {"责任落实", "政策落实", "工作落实", "巩固成效", "指标目标"} <= set(book.sheetnames)
    ranking = book["排名"]
    header = [c.value for c in ranking[1]]
    assert header[:6] == ["考核对象类别", "名称", "总分", "全省排名", "全市排名", "约谈"]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows(ranking)}
    assert by_name["东县"]["总分"] == 50.0 and by_name["西县"]["总分"] == 66.67
    assert (by_name["西县"]["全市排名"], by_name["东县"]["全市排名"]) == (1, 2)
    assert by_name["东县"]["约谈"] == "约谈" and by_name["西县"]["约谈"] in ("", None)
    assert by_name["东县"]["政策落实"] == 25.0
    assert ranking.freeze_panes == "C2"

    policy = {r[1]: r for r in rows(book["政策落实"])}
    # 东县: 1 of 4 milestones due in 2023 reported on time.
    assert policy["东县"][2:8] == [25.0, 1.0, "按时填报的节点", 1, "年内到期的节点", 4]
    assert "÷" in policy["东县"][8]
    consolidation = {r[1]: r for r in rows(book["巩固成效"])}
    assert consolidation["西县"][2] is None and "不计" in consolidation["西县"][8]
    targets = rows(book["指标目标"])
    assert targets == [["东县", "卫生厕所普及率", "≥85%", 90.0, "达标", "测试文件"]]
    assert book["排名"].page_setup.orientation == "landscape"


def test_a_leader_exports_only_their_own_region(scored, client):
    book = workbook_for(client, scored.west_leader)
    names = [r[1] for r in rows(book["排名"])]
    assert names == ["西县"]
    assert rows(book["指标目标"]) == []


def test_the_print_page_is_a4_landscape_with_every_score_and_its_inputs(scored, client):
    client.force_login(scored.city_leader)
    response = client.get(reverse("monitoring:assessment_print", args=[2023]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "monitoring/print.css" in page
    assert "size: A4 landscape" in Path(finders.find("monitoring/print.css")).read_text()
    assert "2023年度考核结果" in page
    assert "东县" in page and "西县" in page and "50.00" in page and "66.67" in page
    assert "1 ÷ 4" in page  # 东县 政策落实: its inputs beside the score
    assert "约谈" in page and "卫生厕所普及率" in page
    assert 'class="navbar' not in page  # paper, not the site's navigation


def test_unpublished_or_out_of_scope_years_are_refused(scored, client):
    client.force_login(scored.west_leader)
    for name in ("monitoring:assessment_excel", "monitoring:assessment_print"):
        assert client.get(reverse(name, args=[2022])).status_code == 404
    official = scored.official
    client.force_login(official)
    for name in ("monitoring:assessment_excel", "monitoring:assessment_print"):
        assert client.get(reverse(name, args=[2023])).status_code == 403
