"""Personal data at rest and on screen (issue 16): SM4-GCM ciphertext and an HMAC-SM3 blind
index in the database, never the plaintext; masks; duplicates found without decrypting;
reading in full only for a county supervisor, with a reason, one audit row each time."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from households import crypto, idcard, masking
from households.models import Member
from households.services import members
from obligations.models import AuditEntry
from tests.households.conftest import id_number, make_household


def test_masks():
    assert masking.mask_id_number("11010119900307123X") == "110101********123X"
    assert masking.mask_phone("13812341234") == "138****1234"
    assert masking.mask_bank_account("6228480012345678901") == "****8901"
    assert (masking.mask_name("张小明"), masking.mask_name("张明"), masking.mask_name("欧阳小明")) \
        == ("张*明", "张*", "欧**明")


def test_id_numbers_are_checked():
    number = idcard.make("640423", datetime.date(1985, 7, 9), 13)  # odd 17th digit: 男
    assert idcard.parse(number)[1:] == (datetime.date(1985, 7, 9), "男")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    for bad, message in ((wrong, "校验位"), ("64042319851309001X", "出生日期"), ("123", "18位")):
        with pytest.raises(ValueError, match=message):
            idcard.parse(bad)


def test_ciphertext_round_trips_and_is_bound_to_its_field(settings):
    text = crypto.encrypt("640423198001010014", "id_number")
    assert text.startswith("v1:") and "640423198001010014" not in text
    assert crypto.decrypt(text, "id_number") == "640423198001010014"
    assert crypto.encrypt("640423198001010014", "id_number") != text  # a fresh nonce each time
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(text, "phone")


def test_no_plaintext_in_the_database_and_duplicates_found_by_index(hh_world):
    actor = hh_world.users["longde_beiguan"]
    number = id_number(7)
    household = make_household(hh_world.village, actor, id_number=number)
    member = household.members.get()
    assert member.id_number_masked == number[:6] + "********" + number[-4:]
    assert member.phone_masked == "139****5678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM households_member")
        dumped = repr(cursor.fetchall())
    assert number not in dumped and "13912345678" not in dumped and "6228480012345678901" \
        not in dumped
    # the same person again, anywhere: refused without decrypting anything
    from households.models import Household

    second = Household.objects.create(code="HH-002", region=hh_world.other_village,
                                      head_name="马秀兰")
    with pytest.raises(ValidationError, match="已登记在北关村的农户 HH-001"):
        members.add_member(household=second, actor=hh_world.users["admin"], data={
            "name": "马秀兰", "relation": "head", "id_number": number.lower()})
    assert Member.objects.count() == 1


@pytest.mark.parametrize(("bad", "message"), [
    ({"id_number": "640423198001010011"}, "校验位"), ({"name": ""}, "姓名"),
    ({"phone": "12ab"}, "电话"), ({"bank": "123"}, "银行账号")])
def test_bad_member_input_writes_nothing(hh_world, bad, message):
    from households.models import Household

    household = Household.objects.create(code="HH-009", region=hh_world.village, head_name="王")
    data = {"name": "王文华", "relation": "head", "id_number": id_number(3), **bad}
    with pytest.raises(ValidationError, match=message):
        members.add_member(household=household, actor=hh_world.users["longde_beiguan"], data=data)
    assert not Member.objects.exists()


def test_reading_in_full_needs_the_role_and_a_reason_and_is_logged(hh_world):
    number = id_number(9)
    household = make_household(hh_world.village, hh_world.users["longde_beiguan"],
                               id_number=number)
    member = household.members.get()
    for who in ("longde_beiguan", "longde_leader", "xinbin_duban", "longde_fupin"):
        with pytest.raises(ValidationError, match="无权"):
            members.reveal(member=member, field="id_number", actor=hh_world.users[who],
                           reason="核对身份信息")
    with pytest.raises(ValidationError, match="事由"):
        members.reveal(member=member, field="id_number", actor=hh_world.users["longde_nongban"],
                       reason=" ")
    before = AuditEntry.objects.filter(action="household_unmask").count()
    assert before == 0
    value = members.reveal(member=member, field="id_number",
                           actor=hh_world.users["longde_nongban"], reason="核对低保申请材料")
    assert value == number
    rows = AuditEntry.objects.filter(action="household_unmask")
    assert rows.count() == 1
    row = rows.get()
    assert row.actor == hh_world.users["longde_nongban"] and "核对低保申请材料" in row.summary
    assert number not in row.summary + repr(row.after)


def test_a_township_supervisor_does_not_read_in_full(hh_world):
    from django.contrib.auth import get_user_model

    from households import selectors
    from obligations.models import Membership, Unit

    household = make_household(hh_world.village, hh_world.users["longde_beiguan"],
                               id_number=id_number(11))
    township = hh_world.village.parent
    reviewer = get_user_model().objects.create_user("chengguan_reviewer")
    Membership.objects.create(user=reviewer, role="supervisor", region=township,
                              unit=Unit.objects.get(region=township, name="城关镇人民政府"))
    assert not selectors.can_unmask(reviewer, household)
    assert selectors.can_unmask(hh_world.users["longde_nongban"], household)


def test_key_rotation_re_encrypts_and_keeps_the_index(hh_world, settings):
    from django.core.management import call_command

    from households.services.keys import rotate

    number = id_number(12)
    household = make_household(hh_world.village, hh_world.users["longde_beiguan"],
                               id_number=number)
    member = household.members.get()
    old, index = member.id_number_cipher, member.id_number_index
    assert old.startswith("v1:")
    settings.HOUSEHOLD_KEY_VERSION = 2  # a new key households_v2 (created in tests)
    call_command("rotate_household_keys")
    member.refresh_from_db()
    assert member.id_number_cipher.startswith("v2:") and member.phone_cipher.startswith("v2:")
    assert crypto.decrypt(member.id_number_cipher, "id_number") == number
    assert member.id_number_index == index and members.index_of(number) == index
    assert rotate() == 0  # nothing left to rotate
    assert AuditEntry.objects.filter(action="household_change", summary__contains="第 2 版").count() == 1
