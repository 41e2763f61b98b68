"""Password rules (等保 8.1.4.1 a) and expiry: what a user sees on the password page."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.models import PasswordHistory
from tests.accounts.conftest import PASSWORD, sign_in


def refusals(password, user) -> list[str]:
    with translation.override("zh-hans"):  # as on the pages (LocaleMiddleware)
        try:
            validate_password(password, user)
        except ValidationError as error:
            return [str(m) for m in error.messages]
    return []


def test_a_password_shorter_than_twelve_characters_is_refused_in_chinese(people):
    assert refusals("Ab-345678901", people["longde_fupin"]) == []
    messages = refusals("Ab-34567890", people["longde_fupin"])
    assert any("12" in m and "字符" in m for m in messages)


@pytest.mark.parametrize("password", ["abcdefgh-ijkl", "ABCDEFGHIJK7", "qiaolanzhou2021"])
def test_a_password_needs_three_of_four_character_classes(people, password):
    assert "密码须包含大写字母、小写字母、数字、符号四类中的至少 3 类。" in refusals(
        password, people["longde_fupin"])


def test_common_passwords_are_refused(people):
    assert refusals("John!20130605at1753", people["longde_fupin"])  # in Django's list
    assert refusals("Qiao!20130605at1753", people["longde_fupin"]) == []


@pytest.mark.parametrize("password", ["隆德2021!", "隆德县2021", "Longde2021!!", "longdeXian@2021", "XINBIN#2021-2021", "新宾满族自治县@2021",
                                      "Fushun.2021.01", "Chengguan2021!"])
def test_a_place_name_with_digits_or_symbols_is_refused(people, password):
    assert any("地名" in m for m in refusals(password, people["longde_fupin"])), password


def test_a_password_that_only_contains_a_place_name_is_left_to_the_other_rules(people):
    assert refusals("Longde-Qiao-2021", people["longde_fupin"]) == []


def test_none_of_the_last_five_passwords_can_be_used_again(client, people):
    user = people["longde_fupin"]
    used = [PASSWORD] + [f"Qiao-Lan-{year}x" for year in range(2022, 2027)]
    for password in used[1:]:
        user.set_password(password)
        user.save()
    # the history keeps Django's hashes of the newest five, never a password
    hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert len(hashes) == 5 and not any(p in h for p in used for h in hashes)
    for password in used[1:]:
        assert any("最近 5 次" in m for m in refusals(password, user)), password
    assert refusals(used[0], user) == []  # six passwords ago


def test_the_password_page_refuses_a_weak_password_and_changes_nothing(client, people):
    user = people["longde_fupin"]
    sign_in(client, "longde_fupin")
    response = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": "longde2021", "new_password2": "longde2021"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "12" in page and "地名" in page and "至少 3 类" in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def _age_password(user, days):
    PasswordHistory.objects.filter(user=user).update(
        changed_at=timezone.now() - datetime.timedelta(days=days))


def test_an_expired_password_allows_nothing_but_changing_it(client, people):
    _age_password(people["longde_fupin"], 91)
    sign_in(client, "longde_fupin")
    tasks = client.get("/tasks/")
    assert tasks.status_code == 302 and tasks["Location"].startswith("/account/password/")
    api = client.get("/api/v1/tasks/")
    assert api.status_code == 403 and "密码已超过有效期" in api.json()["detail"]
    assert client.get("/account/password/").status_code == 200
    changed = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password1": "Qiao-Lan-2030x",
        "new_password2": "Qiao-Lan-2030x"})
    assert changed.status_code == 302
    assert client.get("/tasks/").status_code == 200


def test_a_password_younger_than_ninety_days_is_not_asked_for(client, people):
    _age_password(people["longde_fupin"], 89)
    sign_in(client, "longde_fupin")
    assert client.get("/tasks/").status_code == 200


def test_expiry_is_turned_off_with_zero(client, people, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    _age_password(people["longde_fupin"], 400)
    sign_in(client, "longde_fupin")
    assert client.get("/tasks/").status_code == 200
