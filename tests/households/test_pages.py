"""The households pages: masked everywhere for every role, scope (own village, the township's
villages, never a sibling county), the full value only through 查看完整 with a reason and one
access row, bad input refused in Chinese with nothing written, the notice without personal data."""

from __future__ import annotations

import re

import pytest

from households.models import Case, Household, Member
from households.services import cases as svc
from obligations.models import AuditEntry
from tests.households.conftest import id_number, make_household

ID18 = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")


@pytest.fixture
def pages(hh_world):
    beiguan = hh_world.users["longde_beiguan"]
    number = id_number(21)
    household = make_household(hh_world.village, beiguan, id_number=number, name="马志强")
    other = make_household(hh_world.other_village, hh_world.users["admin"], code="HH-RED",
                           id_number=id_number(22), name="海玉梅")
    xinbin = make_household(hh_world.xinbin_village, hh_world.users["admin"], code="HH-XB",
                            id_number=id_number(23, region="210422"), name="新宾专有户主")
    case = svc.open_case(household=household, actor=beiguan, channel="visit",
                         category="sudden", risk="illness")
    hh_world.number, hh_world.household, hh_world.case = number, household, case
    hh_world.others = {"red": other, "xinbin": xinbin}
    return hh_world


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("who", ["longde_beiguan", "longde_chengguan",
                                 "longde_nongban", "admin"])
def test_every_page_is_masked_for_every_role(client, pages, who):
    user = pages.users[who]
    for url in ("/households/", f"/households/{pages.household.pk}/", "/households/cases/",
                f"/households/cases/{pages.case.pk}/", f"/households/?q={pages.number}"):
        response = _get(client, user, url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not ID18.search(body), (who, url)
        assert "13912345678" not in body and "6228480012345678901" not in body
    assert pages.number[:6] + "********" + pages.number[-4:] in _get(
        client, user, f"/households/{pages.household.pk}/").content.decode()


def test_scope_own_village_township_county_never_a_sibling(client, pages):
    def codes(who):
        body = _get(client, pages.users[who], "/households/").content.decode()
        return {code for code in ("HH-001", "HH-RED", "HH-XB") if code in body}

    assert codes("longde_beiguan") == {"HH-001"}  # the village sees its own households
    assert codes("longde_chengguan") == {"HH-001", "HH-RED"}  # the township its villages
    assert codes("longde_nongban") == {"HH-001", "HH-RED"}
    assert codes("xinbin_duban") == {"HH-XB"}
    assert _get(client, pages.users["xinbin_duban"],
                f"/households/{pages.household.pk}/").status_code == 404
    assert _get(client, pages.users["longde_beiguan"],
                f"/households/{pages.others['red'].pk}/").status_code == 404
    # leaders read counts on dashboards, not households
    assert _get(client, pages.users["longde_leader"], "/households/").status_code == 403


def test_search_by_full_id_number_finds_the_household_through_the_index(client, pages):
    client.force_login(pages.users["longde_nongban"])
    response = client.post("/households/", {"id_number": pages.number.lower()})
    assert response.status_code == 302 and pages.number not in response["Location"]
    body = client.get(response["Location"]).content.decode()
    assert "HH-001" in body and "HH-RED" not in body
    # typed into the URL instead: not searched, not echoed, a warning
    body = client.get(f"/households/?q={pages.number}").content.decode()
    assert pages.number not in body and "按身份证号查找" in body


def test_reading_in_full_shows_the_value_once_and_logs_it(client, pages):
    url = f"/households/{pages.household.pk}/reveal/"
    member = pages.household.members.get()
    client.force_login(pages.users["longde_beiguan"])
    assert client.post(url, {"member": member.pk, "field": "id_number",
                             "reason": "核对身份"}).status_code == 403
    client.force_login(pages.users["longde_nongban"])
    page = client.get(f"/households/{pages.household.pk}/").content.decode()
    assert 'name="reason"' in page
    response = client.post(url, {"member": member.pk, "field": "id_number", "reason": ""})
    assert response.status_code == 400 and "事由" in response.content.decode()
    assert not AuditEntry.objects.filter(action="household_unmask").exists()
    response = client.post(url, {"member": member.pk, "field": "id_number",
                                 "reason": "核对医疗救助申请"})
    assert pages.number in response.content.decode()
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response[
        "Cache-Control"]
    assert AuditEntry.objects.filter(action="household_unmask").count() == 1
    # the next view is masked again
    assert pages.number not in client.get(f"/households/{pages.household.pk}/").content.decode()


def test_each_view_of_personal_data_is_in_the_access_log(client, pages):
    before = AuditEntry.objects.filter(action="household_view").count()
    _get(client, pages.users["longde_beiguan"], "/households/")
    _get(client, pages.users["longde_beiguan"], f"/households/{pages.household.pk}/")
    rows = AuditEntry.objects.filter(action="household_view").order_by("id")
    assert rows.count() == before + 2
    assert rows.last().subject == f"household:{pages.household.pk}"


def test_registering_a_household_refuses_bad_input_in_chinese(client, pages):
    client.force_login(pages.users["longde_beiguan"])
    form = {"village": pages.village.pk, "code": "HH-NEW", "base_status": "ordinary",
            "head_name": "苏学文", "id_number": "640423198001010011"}
    response = client.post("/households/new/", form)
    assert response.status_code == 400 and "校验位" in response.content.decode()
    assert not Household.objects.filter(code="HH-NEW").exists()
    response = client.post("/households/new/", {**form, "id_number": id_number(31)})
    assert response.status_code == 302
    household = Household.objects.get(code="HH-NEW")
    assert household.members.get().relation == "head"
    # the same person in another household: refused, nothing written
    response = client.post(f"/households/{household.pk}/members/", {
        "name": "苏学文", "relation": "child", "id_number": id_number(31)}, follow=True)
    assert "同一人不能登记两次" in response.content.decode()
    assert Member.objects.filter(household=household).count() == 1


def test_the_notice_names_the_head_and_village_only(client, pages):
    users = pages.users
    case = svc.transition(pages.case, Case.Status.VERIFIED, users["longde_beiguan"])
    case = svc.transition(case, Case.Status.COMPARED, users["longde_nongban"],
                          comparison={"医保局": "住院自付3万元"})
    svc.transition(case, Case.Status.PUBLICIZED, users["longde_beiguan"])
    body = _get(client, users["longde_beiguan"],
                f"/households/cases/{case.pk}/notice/").content.decode()
    assert "马志强" in body and "北关村" in body and "突发严重困难户" in body
    for private in ("因病", "住院", "****", pages.number[-4:], "139"):
        assert private not in body, private


def test_a_case_moves_in_the_browser_forms_and_refusals_show(client, pages):
    client.force_login(pages.users["longde_beiguan"])
    url = f"/households/cases/{pages.case.pk}/step/"
    page = client.get(f"/households/cases/{pages.case.pk}/").content.decode()
    assert 'data-step="verified"' in page
    client.post(url, {"to": "verified", "version": pages.case.version})
    pages.case.refresh_from_db()
    assert pages.case.status == "verified"
    assert client.post(url, {"to": "compared"}).status_code == 403  # the county's step
    client.force_login(pages.users["longde_nongban"])
    response = client.post(url, {"to": "compared", "dept-0": "民政局", "result-0": ""},
                           follow=True)
    assert "逐个部门" in response.content.decode()
    client.post(url, {"to": "compared", "dept-0": "民政局", "result-0": "未享受低保"})
    pages.case.refresh_from_db()
    assert pages.case.status == "compared" and pages.case.comparison == {"民政局": "未享受低保"}


def test_income_refuses_bad_input_and_replaces_the_same_month(client, pages):
    from households.models import IncomeRecord

    client.force_login(pages.users["longde_beiguan"])
    url = f"/households/{pages.household.pk}/income/"
    for bad, message in (({"period_end": "2025/12"}, "统计截止月"),
                         ({"net_income": "很多"}, "须为数字"), ({"people": "0"}, "1—30"),
                         ({"rigid_spending": "-5"}, "不能为负")):
        data = {"period_end": "2025-12", "net_income": "9000", "people": "2", **bad}
        assert message in client.post(url, data, follow=True).content.decode()
    assert not IncomeRecord.objects.exists()
    client.post(url, {"period_end": "2025-12", "net_income": "9000", "people": "2"})
    client.post(url, {"period_end": "2025-12", "net_income": "9600", "people": "2"})
    record = IncomeRecord.objects.get()
    assert (record.period_end.isoformat(), record.net_income, record.per_capita) == (
        "2025-12-31", 9600, 4800)


def test_the_api_masks_scopes_and_logs_and_refuses_tokens_and_leaders(client, pages):
    from obligations.services.api_clients import create_api_client

    client.force_login(pages.users["longde_chengguan"])
    before = AuditEntry.objects.filter(action="household_view").count()
    body = client.get("/api/v1/households/").json()
    assert sorted(h["code"] for h in body["results"]) == ["HH-001", "HH-RED"]
    text = repr(body)
    assert not ID18.search(text) and "13912345678" not in text
    assert body["results"][0]["members"][0]["id_number"].count("*") == 8
    assert AuditEntry.objects.filter(action="household_view").count() == before + 1
    cases = client.get("/api/v1/household-cases/?status=clue").json()["results"]
    assert [c["household_code"] for c in cases] == ["HH-001"]
    assert client.get("/api/v1/household-cases/?status=nonsense").status_code == 400
    assert client.get(f"/api/v1/households/{pages.others['xinbin'].pk}/").status_code == 404
    client.force_login(pages.users["longde_leader"])
    assert client.get("/api/v1/households/").status_code == 403
    client.logout()
    from obligations.models import Region, Unit

    region = Region.objects.get(code="640423")
    _api, key = create_api_client(name="外部系统", region=region, can_write=True,
                                  units=Unit.objects.filter(region=region), actor=None)
    assert client.get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


def test_odd_query_values_are_not_errors(client, pages):
    client.force_login(pages.users["longde_nongban"])
    for url in ("/households/?idx=%00", "/households/?idx=zz", "/households/?q=%00",
                "/households/cases/?status=%00", "/households/flags/?check=%00"):
        assert client.get(url).status_code in (200, 400), url
    assert client.get("/api/v1/funds/flags/?region=%00").status_code == 404


def test_the_dashboard_counts_without_persons_for_leaders_in_scope(client, pages,
                                                                   django_assert_max_num_queries):
    import datetime

    from households.models import IncomeRecord

    IncomeRecord.objects.create(household=pages.others["red"], period_end=datetime.date(2026, 6, 30),
                                net_income=6000, people=2)  # 3,000 a head: under the line
    client.force_login(pages.users["longde_leader"])
    with django_assert_max_num_queries(30):
        response = client.get("/households/dashboard/")
    body = response.content.decode()
    assert response.status_code == 200 and "隆德县防止返贫动态监测" in body
    assert 'data-figure="households">2<' in body and 'data-figure="under_line">1<' in body
    for person in ("马志强", "海玉梅", pages.number[-4:]):
        assert person not in body
    assert client.get("/households/dashboard/640423100/").status_code == 200
    assert client.get("/households/dashboard/210422/").status_code == 404  # a sibling's
    client.force_login(pages.users["longde_beiguan"])
    assert client.get("/households/dashboard/").status_code == 403


@pytest.mark.parametrize("url", ["/households/", "/households/cases/", "/households/cases/?mine=1",
                                 "/households/rounds/", "/households/flags/",
                                 "/api/v1/households/", "/api/v1/household-cases/"])
def test_household_lists_run_a_fixed_number_of_queries(client, pages, url,
                                                      django_assert_max_num_queries):
    import datetime

    from households.models import ScreeningDuty
    from obligations.models import Region

    ScreeningDuty.objects.create(region=Region.objects.get(code="640423"), kind="village_monthly",
                                 starts_on=datetime.date(2025, 1, 1), clause="004 二(一)2")
    client.force_login(pages.users["longde_chengguan"])
    with django_assert_max_num_queries(60) as first:
        assert client.get(url).status_code == 200
    for n in range(8):  # more households, each with an open case, in both villages
        village = pages.village if n % 2 else pages.other_village
        household = make_household(village, pages.users["admin"], code=f"HH-Q{n}",
                                   id_number=id_number(100 + n))
        svc.open_case(household=household, actor=pages.users["admin"], channel="visit",
                      category="edge", risk="illness")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
