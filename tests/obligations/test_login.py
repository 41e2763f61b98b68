"""Login: lockout per username (django-axes) without revealing whether the user exists."""

from django.conf import settings


def attempt(client, username, password="wrong", ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_account_even_with_the_right_password(client, seeded):
    for _ in range(5):
        assert attempt(client, "longde_fupin").status_code in (200, 429)
    locked = attempt(client, "longde_fupin", password="demo-2021")
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_counts_per_username_not_per_address(client, seeded):
    for _ in range(5):
        attempt(client, "longde_fupin")  # a colleague mistypes five times in the same office
    ok = attempt(client, "longde_minzheng", password="demo-2021", ip="10.0.0.1")
    assert ok.status_code == 302


def test_unknown_and_known_users_get_the_same_answers(client, seeded):
    known = attempt(client, "longde_fupin").content.decode()
    unknown = attempt(client, "nobody_here").content.decode()
    assert "用户名或密码不正确" in known and "用户名或密码不正确" in unknown
    for _ in range(5):
        attempt(client, "nobody_here")
    assert "暂时锁定" in attempt(client, "nobody_here").content.decode()


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
