"""Security events (等保 8.1.4.3 c): each login, failure, lockout and second-factor success,
failure, enrolment and reset writes exactly one row of the audit trail, with the client IP."""

import time

from obligations.models import AuditEntry
from tests.accounts.conftest import PASSWORD, sign_in
from tests.accounts.helpers import code, totp_device
from tests.audit import audit_mark, written_since

Action, Result = AuditEntry.Action, AuditEntry.Result


def _rows(mark):
    return [(r.action, r.result, r.subject, r.ip) for r in written_since(mark)]


def test_each_security_event_writes_exactly_one_row(client, people):
    fupin, nongban = people["longde_fupin"], people["longde_nongban"]
    user_of = f"user:{fupin.pk}"

    mark = audit_mark()
    sign_in(client, "longde_fupin", ip="10.1.1.1")
    assert _rows(mark) == [(Action.LOGIN, Result.SUCCESS, user_of, "10.1.1.1")]
    client.post("/logout/")

    mark = audit_mark()
    sign_in(client, "longde_fupin", password="wrong", ip="10.1.1.2")
    assert _rows(mark) == [(Action.LOGIN_FAILED, Result.FAILURE, user_of, "10.1.1.2")]

    mark = audit_mark()
    sign_in(client, "nobody_here", password="wrong", ip="10.1.1.3")
    assert _rows(mark) == [(Action.LOGIN_FAILED, Result.FAILURE, "username:nobody_here",
                            "10.1.1.3")]

    for _ in range(3):
        sign_in(client, "longde_fupin", password="wrong")
    mark = audit_mark()
    sign_in(client, "longde_fupin", password="wrong", ip="10.1.1.4")  # the fifth failure
    assert sorted(_rows(mark)) == sorted([
        (Action.LOGIN_FAILED, Result.FAILURE, user_of, "10.1.1.4"),
        (Action.LOCKOUT, Result.FAILURE, user_of, "10.1.1.4")])

    device = totp_device(nongban)
    sign_in(client, "longde_nongban")
    mark = audit_mark()
    client.post("/account/mfa/", {"token": "000000"}, REMOTE_ADDR="10.1.1.5")
    assert _rows(mark) == [(Action.MFA_FAILED, Result.FAILURE, f"user:{nongban.pk}",
                            "10.1.1.5")]
    time.sleep(1.1)  # django-otp throttles: after a wrong code the next try waits 1 s, doubling
    mark = audit_mark()
    client.post("/account/mfa/", {"token": code(device)}, REMOTE_ADDR="10.1.1.6")
    rows = written_since(mark)
    assert _rows(mark) == [(Action.LOGIN, Result.SUCCESS, f"user:{nongban.pk}", "10.1.1.6")]
    assert "二次验证" in rows[0].summary


def test_enrolment_and_reset_write_one_row_each(client, people):
    leader = people["longde_leader"]
    sign_in(client, "longde_leader")
    client.get("/account/mfa/setup/")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=leader)
    mark = audit_mark()
    client.post("/account/mfa/setup/", {"token": code(device)})
    enrolled = written_since(mark)
    # the authenticator, then the ten recovery codes shown with it
    assert [(r.action, r.actor) for r in enrolled] == [(Action.MFA_ENROL, leader)] * 2
    assert "动态口令" in enrolled[0].summary and "恢复码 10 个" in enrolled[1].summary

    admin = people["admin"]
    client.force_login(admin)
    mark = audit_mark()
    client.post("/admin/auth/user/", {"action": "reset_second_factors",
                                      "_selected_action": [leader.pk]})
    assert [(r.action, r.actor, r.subject) for r in written_since(mark)] == [
        (Action.MFA_RESET, admin, f"user:{leader.pk}")]


def test_changing_the_password_writes_one_row(client, people):
    sign_in(client, "longde_fupin")
    mark = audit_mark()
    client.post("/account/password/", {"old_password": PASSWORD,
                                       "new_password1": "Qiao-Lan-2030x",
                                       "new_password2": "Qiao-Lan-2030x"})
    assert [r.action for r in written_since(mark)] == [Action.PASSWORD_CHANGE]
