"""Two factors (等保 8.1.4.1 d): required for administrators, supervisors and leaders on every
page, the API's session and the admin; optional for officials; codes not reusable."""

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from obligations.models import AuditEntry, Membership
from tests.accounts.conftest import sign_in
from tests.accounts.helpers import code, fresh_code, totp_device

Action = AuditEntry.Action


@pytest.fixture
def admin_member(people):
    """An administrator by membership, not a superuser."""
    user = get_user_model().objects.create_user("county_admin", password="Qiao-Lan-2021")
    Membership.objects.create(user=user, role=Membership.Role.ADMIN)
    return user


@pytest.mark.parametrize("username", ["longde_nongban", "longde_leader", "fushun_leader",
                                      "admin", "county_admin"])
def test_roles_that_require_a_second_factor_reach_nothing_before_giving_one(
        client, people, admin_member, username):
    sign_in(client, username)
    for path in ("/", "/tasks/", "/dashboard/", "/notifications/", "/admin/",
                 "/admin/auth/user/", "/account/password/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/mfa/"), path
    api = client.get("/api/v1/tasks/")
    assert api.status_code == 403 and "二次验证" in api.json()["detail"]
    # no device yet: the verification page sends them to enrol
    assert client.get("/account/mfa/")["Location"].startswith("/account/mfa/setup/")


def test_an_official_works_without_a_second_factor(client, people):
    sign_in(client, "longde_fupin")
    assert client.get("/tasks/").status_code == 200
    assert client.get("/api/v1/tasks/").status_code == 200


def test_an_official_who_enrolled_must_give_the_second_factor(client, people):
    device = totp_device(people["longde_fupin"])
    sign_in(client, "longde_fupin")
    assert client.get("/tasks/")["Location"].startswith("/account/mfa/")
    client.post("/account/mfa/", {"token": code(device), "next": "/tasks/"})
    assert client.get("/tasks/").status_code == 200


def test_enrolment_shows_a_qr_code_drawn_here_and_the_secret_then_ten_recovery_codes(
        client, people):
    sign_in(client, "longde_nongban")
    page = client.get("/account/mfa/setup/").content.decode()
    assert "<svg" in page and "绑定手机动态口令" in page and "http" not in page.split("<svg")[1][:200]
    device = TOTPDevice.objects.get(user=people["longde_nongban"], confirmed=False)
    assert "".join(page.split("data-secret>")[1].split("<")[0].split()) in device.config_url
    wrong = client.post("/account/mfa/setup/", {"token": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    done = client.post("/account/mfa/setup/", {"token": code(device)}).content.decode()
    codes = StaticToken.objects.filter(device__user=people["longde_nongban"])
    assert codes.count() == 10 and all(t.token in done for t in codes)
    assert "只显示这一次" in done
    assert client.get("/tasks/").status_code == 200
    assert TOTPDevice.objects.get(user=people["longde_nongban"]).confirmed


def test_a_used_code_is_refused_the_second_time(client, people):
    device = totp_device(people["longde_leader"])
    sign_in(client, "longde_leader")
    token = fresh_code(device)
    assert client.post("/account/mfa/", {"token": token})["Location"] == "/"
    device.refresh_from_db()
    assert device.last_t >= 0  # django-otp remembers the step the code belonged to
    client.post("/logout/")
    sign_in(client, "longde_leader")
    again = client.post("/account/mfa/", {"token": token})
    assert again.status_code == 200 and "已用过" in again.content.decode()
    assert client.get("/tasks/")["Location"].startswith("/account/mfa/")


def test_a_recovery_code_works_once(client, people):
    user = people["longde_nongban"]
    totp_device(user)
    static = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    static.token_set.create(token="k7m3p9q2")
    sign_in(client, "longde_nongban")
    assert client.post("/account/mfa/", {"token": "k7m3p9q2"}).status_code == 302
    assert client.get("/tasks/").status_code == 200
    client.post("/logout/")
    sign_in(client, "longde_nongban")
    assert client.post("/account/mfa/", {"token": "k7m3p9q2"}).status_code == 200
    assert client.get("/tasks/").status_code == 302


def test_a_user_with_a_device_cannot_enrol_a_new_one_without_using_it(client, people):
    totp_device(people["longde_nongban"])
    sign_in(client, "longde_nongban")
    response = client.get("/account/mfa/setup/")
    assert response["Location"].startswith("/account/mfa/?")
    assert client.post("/account/mfa/setup/", {"token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=people["longde_nongban"]).count() == 1


def test_the_admin_site_requires_the_second_factor_after_its_own_login(client, people):
    device = totp_device(people["admin"])
    client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "Qiao-Lan-2021",
                                               "next": "/admin/"})
    assert client.get("/admin/")["Location"].startswith("/account/mfa/")
    client.post("/account/mfa/", {"token": code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_an_administrator_resets_a_users_devices_in_the_admin_with_one_audit_row(
        client, people):
    from django.test import Client

    user = people["longde_nongban"]
    device = totp_device(user)
    StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    theirs = Client()
    sign_in(theirs, "longde_nongban")
    theirs.post("/account/mfa/", {"token": code(device)})
    assert theirs.get("/tasks/").status_code == 200

    client.force_login(people["admin"])
    before = AuditEntry.objects.filter(action=Action.MFA_RESET).count()
    response = client.post("/admin/auth/user/", {"action": "reset_second_factors",
                                                 "_selected_action": [user.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    rows = AuditEntry.objects.filter(action=Action.MFA_RESET).order_by("id")[before:]
    assert [(r.actor, r.subject) for r in rows] == [(people["admin"], f"user:{user.pk}")]
    # the supervisor's verified session is verified no longer: they must enrol again
    assert theirs.get("/tasks/")["Location"].startswith("/account/mfa/")


def test_demo_accounts_skip_the_second_factor_only_with_the_local_setting(
        client, people, settings):
    sign_in(client, "longde_nongban")
    assert client.get("/tasks/").status_code == 302  # test settings enforce it
    settings.DEMO_ACCOUNTS_EXEMPT = True
    assert client.get("/tasks/").status_code == 200
    settings.DEMO_ACCOUNTS = False  # production: no demo accounts, no exemption
    assert client.get("/tasks/").status_code == 302
