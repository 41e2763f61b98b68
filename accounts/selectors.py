"""Reads for the account rules: whose sign-in needs a second factor, how old a password is,
the earlier passwords, and the place names a password must not be."""

from __future__ import annotations

import re
from datetime import datetime

from django.conf import settings
from django_otp import user_has_device
from pypinyin import lazy_pinyin

from accounts.models import PasswordHistory
from obligations.models import Region
from obligations.selectors import scope
from obligations.services.seed import ADMIN_ACCOUNT, DEMO_ACCOUNTS

# Roles whose sign-in always needs a second factor (issue 14 item 2); officials may opt in.
MFA_ROLES = {scope.SUPERVISOR, scope.LEADER, scope.ADMIN}


def is_demo_exempt(user) -> bool:
    """Local demo accounts with DEMO_ACCOUNTS_EXEMPT (config/settings/local.py only): reviewers
    walk every page with demo-2021 and no phone. Production never sets either setting."""
    return bool(getattr(settings, "DEMO_ACCOUNTS", False)
                and getattr(settings, "DEMO_ACCOUNTS_EXEMPT", False)
                and user.get_username() in demo_usernames())


def demo_usernames() -> set[str]:
    return {row[0] for row in DEMO_ACCOUNTS} | {ADMIN_ACCOUNT[0]}


def mfa_required(user) -> bool:
    """Administrators (superusers and admin memberships), supervisors and leaders."""
    if not user.is_authenticated or is_demo_exempt(user):
        return False
    return user.is_superuser or bool(scope.roles(user) & MFA_ROLES)


def has_device(user) -> bool:
    """A confirmed TOTP device or recovery codes: an official who enrolled must use it too."""
    return user_has_device(user, confirmed=True)


def password_changed_at(user) -> datetime:
    """When the current password was set: the newest history row; for accounts created
    before the history existed, when the account was created."""
    latest = (PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-id")
              .values_list("changed_at", flat=True).first())
    return latest or user.date_joined


def recent_password_hashes(user, count: int) -> list[str]:
    return list(PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-id")
                .values_list("password", flat=True)[:count])


# Suffixes of administrative names, longest first: 新宾满族自治县 → 新宾, 隆德县 → 隆德.
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "街道办事处", "街道", "地区",
             "林区", "新区", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡", "村")
# Peoples named before 自治…: the two-character ones (满族, 回族, 藏族) are cut by length.
_PEOPLES = ("维吾尔族", "柯尔克孜族", "哈萨克族", "塔吉克族", "鄂温克族", "鄂伦春族", "达斡尔族",
            "土家族", "蒙古族", "布依族", "朝鲜族", "哈尼族", "傈僳族", "拉祜族", "纳西族", "仡佬族",
            "撒拉族", "毛南族", "保安族", "裕固族", "东乡族", "景颇族", "普米族", "锡伯族")


def short_place_name(name: str) -> str:
    """隆德县 → 隆德; 新宾满族自治县 → 新宾; 海西蒙古族藏族自治州 → 海西. A name that would
    shrink below two characters is kept whole (the county 和县 stays 和县)."""
    short = name
    for suffix in _SUFFIXES:
        if short.endswith(suffix) and len(short) - len(suffix) >= 2:
            short = short[: -len(suffix)]
            break
    while short.endswith("族"):
        people = next((p for p in _PEOPLES if short.endswith(p)), short[-2:])
        if len(short) - len(people) < 2:
            break
        short = short[: -len(people)]
    return short


def place_name_forms() -> set[str]:
    """Every form of every region name (villages aside) a password's letters may not be: the
    name, its short form, and the pinyin of both, lower case: 隆德县, 隆德, longdexian, longde."""
    forms: set[str] = set()
    names = Region.objects.exclude(level=Region.Level.VILLAGE).values_list("name", flat=True)
    for name in set(names):
        for form in {name, short_place_name(name)}:
            forms.add(form.lower())
            forms.add("".join(lazy_pinyin(form)).lower())
    return {form for form in forms if len(form) >= 2 and not re.search(r"[^\w]", form)}
