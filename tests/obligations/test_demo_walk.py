"""Every page of the navigation, as every demo account: renders in Chinese or is refused."""

import pytest
from django.contrib.auth import get_user_model

from obligations.selectors import scope

ACCOUNTS = ["longde_fupin", "longde_minzheng", "xinbin", "longde_nongban", "longde_leader", "admin"]


@pytest.mark.parametrize("username", ACCOUNTS)
def test_each_demo_account_walks_its_pages(client, seeded, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    tasks = client.get("/tasks/")
    assert tasks.status_code == 200 and "政策责任落实督办系统" in tasks.content.decode()
    notifications = client.get("/notifications/")
    assert notifications.status_code == 200 and "通知" in notifications.content.decode()
    review = client.get("/review/")
    assert review.status_code == (200 if scope.can_review(user) else 403)
    assert "审核" in review.content.decode() or "权限" in review.content.decode()
    first = tasks.context["page"].object_list[0]
    detail = client.get(f"/tasks/{first.pk}/")
    assert detail.status_code == 200 and first.obligation.title in detail.content.decode()
    report = client.get(f"/tasks/{first.pk}/report/")
    assert report.status_code == (200 if scope.can_report_on(user, first) else 403)
    api = client.get("/api/v1/tasks/")
    assert api.status_code == 200  # the same tasks as the page lists
    assert api.json()["count"] == tasks.context["page"].paginator.count > 0
    dashboards = 200 if scope.can_see_dashboards(user) else 403
    for url in ("/dashboard/", "/dashboard/documents/"):
        page = client.get(url)
        assert page.status_code == dashboards, url
        assert "政策责任落实督办系统" in page.content.decode()
    assessment = client.get("/dashboard/assessment/")
    assert assessment.status_code == dashboards
    imports = client.get("/register/import/")
    assert imports.status_code == (200 if scope.can_import_lists(user) else 403)
    assert "责任清单" in imports.content.decode() or "管理员" in imports.content.decode()
