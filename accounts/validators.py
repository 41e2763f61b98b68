"""Password rules (等保 8.1.4.1 a: 口令复杂度), as Django password validators: every form that
sets a password (change, admin, reset) runs them. Django's CommonPasswordValidator,
NumericPasswordValidator and UserAttributeSimilarityValidator are listed beside these in
AUTH_PASSWORD_VALIDATORS; their messages are Chinese through Django's translations (the
length message is not: Django 5.2 changed its text and the Chinese catalog lags, hence ours)."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.services import passwords

CLASSES = {
    "upper": lambda c: c.isascii() and c.isupper(),
    "lower": lambda c: c.isascii() and c.islower(),
    "digit": lambda c: c.isdigit(),
    # anything else: punctuation, spaces, Chinese characters
    "symbol": lambda c: not (c.isascii() and c.isalnum()),
}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """At least 12 characters (Django's rule, with its message in Chinese)."""

    def __init__(self, min_length: int = 12):
        super().__init__(min_length)

    def get_error_message(self):
        return _("密码太短：至少需要 %(count)d 个字符。") % {"count": self.min_length}

    def get_help_text(self):
        return _("密码至少 %(count)d 个字符。") % {"count": self.min_length}


def character_classes(password: str) -> set[str]:
    return {name for name, test in CLASSES.items() if any(test(c) for c in password)}


class CharacterClassesValidator:
    """At least three of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号四类中的至少 %(count)d 类。") % {
            "count": self.min_classes}


class PasswordHistoryValidator:
    """Not the current password nor one of the earlier ones (the last `count` in all). Its
    password_changed hook, which Django calls whenever a user is saved with a new password,
    keeps the history (accounts.services.passwords)."""

    def __init__(self, count: int | None = None):
        self.count = count or settings.PASSWORD_HISTORY_COUNT

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = selectors.recent_password_hashes(user, self.count)
        if user.password and user.has_usable_password():
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("不能使用最近 %(count)d 次用过的密码，请换一个新密码。") % {"count": self.count},
                code="password_reused")

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            passwords.remember(user, keep=self.count)

    def get_help_text(self):
        return _("不能与最近 %(count)d 次用过的密码相同。") % {"count": self.count}


def letters_of(password: str) -> str:
    """The password without digits, symbols and spaces, lower case: 隆德2021! → 隆德."""
    text = unicodedata.normalize("NFKC", password).lower()
    return re.sub(r"[\W\d_]+", "", text)


class PlaceNameValidator:
    """Not a place name with only digits or symbols added: a region's name, its short form or
    their pinyin (隆德2021, Longde@2021, longdexian2021!, 新宾…). A password that has more
    letters than the name (Longde-xyz-2021) is left to the other rules."""

    def validate(self, password, user=None):
        letters = letters_of(password)
        if letters and letters in selectors.place_name_forms():
            raise ValidationError(
                _("密码不能是地名加数字或符号（如“隆德2021”“longde2021”），请换一个不易猜到的密码。"),
                code="password_place_name")

    def get_help_text(self):
        return _("不能是地名（汉字或拼音）加数字或符号。")
