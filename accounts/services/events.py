"""Security events (等保 8.1.4.3 c): each login, failure, lockout, second-factor success,
failure, enrolment and reset is one row of the audit trail (obligations.services.audit: time,
actor, client IP from the trusted proxy, action, object, result), so they share its
append-only table and HMAC chain. A second-factor success has no action of its own there and
is written as a login (summary says which factor); the password step is a login too."""

from __future__ import annotations

from django.utils.translation import gettext as _

from obligations.services import audit

Action, Result = audit.Action, audit.Result


def _subject(user, username: str) -> str:
    if user is not None and user.pk is not None:
        return audit.subject("user", user.pk)
    return audit.subject("username", (username or "")[:50])


def login(user, *, second_factor: str = "") -> None:
    summary = (f"{user.get_username()} 通过二次验证（{second_factor}）" if second_factor
               else f"{user.get_username()} 密码验证通过")
    audit.record(actor=user, action=Action.LOGIN, subject=_subject(user, ""), summary=summary)


def login_failed(username: str, user=None) -> None:
    audit.record(actor=None, action=Action.LOGIN_FAILED, result=Result.FAILURE,
                 subject=_subject(user, username), summary=f"{username} 用户名或密码错误")


def locked_out(username: str, user=None) -> None:
    audit.record(actor=None, action=Action.LOCKOUT, result=Result.FAILURE,
                 subject=_subject(user, username), summary=f"{username} 连续登录失败，账号暂时锁定")


def mfa_failed(user) -> None:
    audit.record(actor=user, action=Action.MFA_FAILED, result=Result.FAILURE,
                 subject=_subject(user, ""), summary=f"{user.get_username()} 二次验证码错误")


def mfa_enrolled(user, what: str) -> None:
    audit.record(actor=user, action=Action.MFA_ENROL, subject=_subject(user, ""),
                 summary=f"{user.get_username()} 绑定{what}")


def mfa_reset(actor, user, removed: int) -> None:
    audit.record(actor=actor, action=Action.MFA_RESET, subject=_subject(user, ""),
                 summary=f"重置 {user.get_username()} 的二次验证设备（{removed} 个）",
                 before={"devices": removed}, after={"devices": 0})


def account_changed(*, actor, user, before: dict, after: dict, created: bool) -> None:
    """An administrator created, changed or deleted an account's standing or permissions."""
    what = _("新建账号") if created else (_("删除账号") if not after else _("修改账号或权限"))
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    audit.record(actor=actor, action=Action.USER_CHANGE, subject=_subject(user, user.username),
                 summary=f"{what}：{user.username}（{'、'.join(changed)}）"[:300],
                 before=before, after=after)
