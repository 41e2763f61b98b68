"""import_document, export_register, load_seed and demo accounts, as an administrator runs them."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from obligations.models import Obligation, PolicyDocument, Region, Task
from tests.obligations.conftest import after_the_transition, seed_source


def counts():
    return (PolicyDocument.objects.count(), Obligation.objects.count(), Task.objects.count())


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "文件为空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "不是文本文件"),
        (b"\xff\xfe\xfa" * 50, "无法识别文件编码"),
        (b"Minutes of the meeting. Nothing to see here.\n" * 20, "几乎没有中文"),
        ("关于做好宣传工作的说明\n请各单位认真学习，抓好落实，确保工作取得实效。\n".encode() * 5, "没有找到带序号的措施"),
    ],
)
def test_import_refuses_bad_input_and_writes_nothing(seeded, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = counts()
    with pytest.raises(CommandError, match=message) as refused:
        call_command("import_document", str(path))
    assert "bad.txt" in str(refused.value)  # the message names the place
    assert counts() == before


def test_import_missing_file_is_a_clear_error(db):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_document", "/nonexistent/doc.txt")


def test_import_reads_gb18030(db, tmp_path, capsys):
    Region.objects.create(code="640423", name="隆德县", level="county")
    text = "中共隆德县委文件\n隆党发〔2023〕5号\n关于做好帮扶工作的通知\n一、任务\n（一）稳定就业。开发岗位。\n责任单位：人社局\n"
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    call_command("import_document", str(path))
    document = PolicyDocument.objects.get(doc_number="隆党发〔2023〕5号")
    assert document.obligations.get(code="一.(一)").title == "稳定就业"
    assert "已导入" in capsys.readouterr().out


def test_dry_run_writes_nothing(seeded, capsys):
    before = counts()
    call_command("import_document", str(seed_source("004")), "--dry-run")
    out = capsys.readouterr().out
    assert "试运行" in out and "二.(三).5" in out
    assert counts() == before


def test_load_seed_into_empty_database_then_does_nothing(db, capsys):
    call_command("load_seed")
    assert "已载入 5 份文件" in capsys.readouterr().out
    measures = Obligation.objects.filter(kind="measure").count()
    assert measures == 27 + 47 + 28 + 27 + 28
    call_command("load_seed")
    assert "未重复载入" in capsys.readouterr().out
    assert Obligation.objects.filter(kind="measure").count() == measures


def test_demo_accounts_can_log_in(seeded, client, settings):
    # Local settings exempt the demo accounts from the second factor (README 账号与登录), so
    # reviewers can walk every page with the password alone; production never does.
    settings.DEMO_ACCOUNTS_EXEMPT = True
    User = get_user_model()
    assert set(User.objects.values_list("username", flat=True)) >= {
        "longde_fupin", "longde_minzheng", "xinbin", "longde_nongban", "longde_leader", "admin",
    }
    supervisor = User.objects.get(username="longde_nongban").memberships.get()
    assert (supervisor.unit.name, supervisor.role, supervisor.region.name) == ("县委农办", "supervisor", "隆德县")
    # The demo password works through the real login page (django-axes sits in front of it).
    response = client.post("/login/", {"username": "admin", "password": "demo-2021"})
    assert response.status_code == 302
    response = client.get("/admin/obligations/obligation/?q=社会救助")
    assert response.status_code == 200
    assert "分层分类实施社会救助" in response.content.decode()


def export(capsys):
    call_command("export_register", "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_export_lists_every_measure_with_units_as_written(seeded, capsys):
    after_the_transition()  # the period as it is recorded: ended on 2025-12-31
    records = export(capsys)
    assert len(records) == 157
    by_key = {(r["document"]["doc_number"], r["code"]): r for r in records}
    row = by_key[("隆党发〔2021〕2号", "二.(二)")]
    assert row["document"] == {
        "doc_number": "隆党发〔2021〕2号",
        "title": "关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的实施意见",
        "issuer": "中共隆德县委、隆德县人民政府",
        "issued_on": "2021-06-02",
        "period": {"id": row["document"]["period"]["id"], "name": "过渡期", "kind": "transition",
                   "start": "2021-01-01", "end": "2025-12-31"},
        "flags": ["责任清单缺少第10–13行（原文缺页）"],
    }
    assert row["lead_units"] == ["扶贫办"]
    assert row["supporting_units"][-1] == "各乡（镇）"  # collective, unexpanded
    assert row["responsible_leaders"] == ["陈国栋"] and row["responsible_persons"] == ["辛学发"]
    assert row["deadline_text"] == "2021年5月30日完成并长期坚持"
    assert any("早于文件印发日期" in f for f in row["flags"])
    finance = by_key[("青财农字〔2021〕818号", "二.(八)")]
    assert finance["lead_units"] == ["金融处", "社保处", "农业农村处", "各市（州）、县财政局"]
    fushun = by_key[("抚委农领发〔2021〕3号", "二.(一).2")]
    assert fushun["lead_units"] == ["市乡村振兴局"] and fushun["also_implemented_by"] == ["各县区"]
    plan = [r for r in records if r["code"] == "第三章第一节"][0]
    assert plan["lead_units"] == [] and "未明确责任单位" in plan["flags"]


def test_export_runs_a_fixed_number_of_queries(seeded, django_assert_num_queries):
    from obligations.selectors.register import export_register

    # documents' flags, obligations, unit refs, person refs, obligation flags, targets
    with django_assert_num_queries(6):
        records = export_register()
    assert len(records) == 157
