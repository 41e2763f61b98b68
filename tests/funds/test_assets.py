"""The asset ledger: registered at 资产移交, owner defaulting to the village collective,
income by use, disposal only with an approval; one FUNDS_CHANGE audit row each."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funds.models import Asset, AssetIncome, Project
from funds.services import assets as svc
from obligations.models import AuditEntry
from tests.funds.conftest import make_project

S = Project.Status


def _changes():
    return AuditEntry.objects.filter(action=AuditEntry.Action.FUNDS_CHANGE).count()


@pytest.fixture
def handed_over(funds_world):
    return make_project(funds_world.village, status=S.HANDED_OVER)


def test_register_defaults_the_owner_to_the_village_collective(funds_world, handed_over):
    nongban = funds_world.users["longde_nongban"]
    asset = svc.register(project=handed_over, actor=nongban, data={
        "name": "蔬菜大棚", "kind": "operating", "value": "800000", "caretaker": "北关村村委会"})
    assert asset.owner == "北关村集体经济组织" and asset.region == funds_world.village
    assert asset.code == "P-001-ZC01" and asset.value == Decimal("800000.00")
    household = svc.register(project=handed_over, actor=nongban, data={
        "name": "到户牛棚", "kind": "household", "value": "5000"})
    assert household.owner == "" and household.code == "P-001-ZC02"
    given = svc.register(project=handed_over, actor=nongban, data={
        "name": "光伏电站", "kind": "operating", "value": "1", "owner": "城关镇联合社"})
    assert given.owner == "城关镇联合社"
    assert _changes() == 3


def test_register_is_refused_before_hand_over_out_of_role_and_with_bad_input(funds_world):
    users = funds_world.users
    project = make_project(funds_world.village, status=S.ACCEPTED)
    data = {"name": "大棚", "kind": "operating", "value": "10"}
    with pytest.raises(ValidationError, match="资产移交后"):
        svc.register(project=project, actor=users["longde_nongban"], data=data)
    project.status = S.HANDED_OVER
    project.save()
    for who in ("xinbin_duban", "longde_chengguan", "longde_leader"):
        with pytest.raises(ValidationError, match="只有县级审核人"):
            svc.register(project=project, actor=users[who], data=data)
    for bad in ({**data, "value": "-1"}, {**data, "kind": "x"}, {**data, "name": " "}):
        with pytest.raises(ValidationError):
            svc.register(project=project, actor=users["longde_nongban"], data=bad)
    county = make_project(funds_world.longde, status=S.HANDED_OVER, code="P-009")
    with pytest.raises(ValidationError, match="所有权人"):
        svc.register(project=county, actor=users["longde_nongban"], data=data)
    assert not Asset.objects.exists() and _changes() == 0


def test_income_by_use(funds_world, handed_over):
    users = funds_world.users
    asset = svc.register(project=handed_over, actor=users["longde_nongban"], data={
        "name": "大棚", "kind": "operating", "value": "10"})
    svc.record_income(asset=asset, actor=users["longde_chengguan"], year=2023,
                      use="households", amount="3000")
    svc.record_income(asset=asset, actor=users["longde_chengguan"], year=2023,
                      use="public_jobs", amount="1000")
    assert sorted(asset.incomes.values_list("use", "amount")) == [
        ("households", Decimal("3000.00")), ("public_jobs", Decimal("1000.00"))]
    with pytest.raises(ValidationError):
        svc.record_income(asset=asset, actor=users["longde_chengguan"], year=2023,
                          use="households", amount="-3")
    with pytest.raises(ValidationError, match="您无权"):
        svc.record_income(asset=asset, actor=users["xinbin"], year=2023, use="households",
                          amount="3")
    assert AssetIncome.objects.count() == 2 and _changes() == 3


def test_disposal_only_with_an_approval(funds_world, handed_over):
    users = funds_world.users
    asset = svc.register(project=handed_over, actor=users["longde_nongban"], data={
        "name": "大棚", "kind": "operating", "value": "10"})
    for approval in ("", "   ", None):
        with pytest.raises(ValidationError, match="审批文件"):
            svc.dispose(asset=asset, actor=users["longde_nongban"], approval=approval)
    with pytest.raises(ValidationError, match="只有县级审核人"):
        svc.dispose(asset=asset, actor=users["xinbin_duban"], approval="新宾批复")
    asset.refresh_from_db()
    assert asset.status == Asset.Status.IN_USE and _changes() == 1
    svc.dispose(asset=asset, actor=users["longde_nongban"], approval="隆农发〔2024〕5号")
    asset.refresh_from_db()
    assert (asset.status, asset.disposal_approval) == (Asset.Status.DISPOSED, "隆农发〔2024〕5号")
    assert _changes() == 2
    with pytest.raises(ValidationError, match="已处置"):
        svc.record_income(asset=asset, actor=users["longde_nongban"], year=2024,
                          use="households", amount="1")


def test_asset_pages_ledger_detail_income_and_disposal(client, funds_world, handed_over,
                                                       django_assert_max_num_queries):
    users = funds_world.users
    client.force_login(users["longde_nongban"])
    response = client.post(f"/funds/projects/{handed_over.pk}/assets/",
                           {"name": "蔬菜大棚", "kind": "operating", "value": "8000"})
    asset = Asset.objects.get()
    assert response.status_code == 302 and asset.owner == "北关村集体经济组织"
    with django_assert_max_num_queries(20) as first:
        page = client.get("/funds/assets/").content.decode()
    assert "蔬菜大棚" in page and "北关村集体经济组织" in page
    for i in range(10):
        Asset.objects.create(project=handed_over, code=f"X{i}", name=f"资产{i}", kind="public",
                             region=funds_world.village, value=1)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/funds/assets/?kind=public")
    client.post(f"/funds/assets/{asset.pk}/income/", {"year": "2023", "use": "households",
                                                      "amount": "1200"})
    response = client.post(f"/funds/assets/{asset.pk}/dispose/", {"approval": ""}, follow=True)
    assert "未经审批不得处置" in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == Asset.Status.IN_USE
    page = client.get(f"/funds/assets/{asset.pk}/").content.decode()
    assert "1,200.00" in page and 'data-confirm="资产处置后不能撤销，确认处置？"' in page
    client.post(f"/funds/assets/{asset.pk}/dispose/", {"approval": "隆农发〔2024〕5号"})
    asset.refresh_from_db()
    assert asset.status == Asset.Status.DISPOSED
    client.force_login(users["xinbin_duban"])
    assert client.get(f"/funds/assets/{asset.pk}/").status_code == 404
    assert "蔬菜大棚" not in client.get("/funds/assets/").content.decode()
    client.force_login(users["longde_chengguan"])
    assert client.post(f"/funds/projects/{handed_over.pk}/assets/",
                       {"name": "x", "kind": "public", "value": "1"}).status_code == 403
