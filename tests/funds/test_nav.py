"""The funds tabs show only what the user may open (a township official saw the Excel tab and
got 403)."""

import pytest
from django.contrib.auth import get_user_model


@pytest.mark.parametrize(("username", "tabs", "hidden"), [
    ("longde_chengguan", ["项目库", "资产台账"], ["Excel 导入导出", "资金看板"]),
    ("longde_fupin", ["项目库", "Excel 导入导出"], ["资金看板"]),
    ("longde_leader", ["项目库", "资金看板", "规则提示"], ["Excel 导入导出"]),
])
def test_each_tab_is_shown_only_to_those_it_opens_for(client, funds_world, username, tabs,
                                                      hidden):
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get("/funds/projects/").content.decode()
    assert all(tab in page for tab in tabs) and not any(tab in page for tab in hidden)
    for tab, url in (("Excel 导入导出", "/funds/import/"), ("资金看板", "/funds/dashboard/")):
        if tab in tabs:
            assert client.get(url).status_code in (200, 302)
