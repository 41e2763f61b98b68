"""Registering households and members, and reading personal data in full.

A member's 身份证号 is validated (GB 11643 checksum and birth date), encrypted (SM4-GCM), indexed
(HMAC-SM3) and masked before anything is written; a number already registered anywhere is
refused without decrypting anything (the unique blind index). Reading a value in full needs
the right role and a reason, and writes one audit row naming the member and the field, never
the value."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households import crypto, idcard, masking, selectors
from households.models import Household, IncomeRecord, Member
from obligations.services import audit

FIELDS = {  # field → (label, mask)
    "id_number": (gettext_lazy("身份证号"), masking.mask_id_number),
    "phone": (gettext_lazy("电话"), masking.mask_phone),
    "bank": (gettext_lazy("银行账号"), masking.mask_bank_account),
}
PLAIN = ["name", "relation", "health", "disability_level", "work_capacity", "schooling",
         "out_of_school_for_health", "employed", "medical_insured",
         "insurance_paid_by_government", "in_dibao", "in_tekun", "stable_income"]


def protect(member: Member, *, id_number: str, phone: str = "", bank: str = "") -> None:
    """Sets the member's ciphertexts, index and masked copies from plaintext (not saved)."""
    number, born, sex = idcard.parse(id_number)
    member.id_number_cipher = crypto.encrypt(number, "id_number")
    member.id_number_index = crypto.blind_index(number, "id_number")
    member.id_number_masked = masking.mask_id_number(number)
    member.birth_year, member.sex = born.year, sex
    phone = (phone or "").strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ValueError(_("电话须为7—12位数字。"))
    member.phone_cipher = crypto.encrypt(phone, "phone")
    member.phone_masked = masking.mask_phone(phone) if phone else ""
    bank = (bank or "").replace(" ", "")
    if bank and not (bank.isdigit() and 12 <= len(bank) <= 30):
        raise ValueError(_("银行账号须为12—30位数字。"))
    member.bank_cipher = crypto.encrypt(bank, "bank")
    member.bank_masked = masking.mask_bank_account(bank) if bank else ""


def index_of(id_number: str) -> str:
    return crypto.blind_index(idcard.normalize(id_number), "id_number")


def register_household(*, actor, data: dict, head: dict) -> Household:
    """A household and its head, in one transaction (nothing written if the head is refused)."""
    region = data["region"]
    if not selectors.can_register(actor, region) or region.level != "village":
        raise ValidationError(_("您无权在该地登记农户（农户登记在村）。"), code="forbidden")
    with transaction.atomic():
        household = Household.objects.create(**data)
        add_member(household=household, actor=actor, data=head)
    return household


def add_member(*, household: Household, actor, data: dict) -> Member:
    """One member from a form or an import row: `data` has id_number, phone, bank and PLAIN."""
    if not selectors.can_register(actor, household.region):
        raise ValidationError(_("您无权登记该村的农户信息。"), code="forbidden")
    member = Member(household=household, **{k: data[k] for k in PLAIN if k in data})
    if not (member.name or "").strip():
        raise ValidationError(_("请填写姓名。"))
    try:
        protect(member, id_number=data.get("id_number", ""), phone=data.get("phone", ""),
                bank=data.get("bank", ""))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    existing = Member.objects.filter(id_number_index=member.id_number_index).select_related(
        "household__region").first()
    if existing:
        raise ValidationError(_("该身份证号已登记在%(village)s的农户 %(code)s，同一人不能登记两次。")
                              % {"village": existing.household.region.name,
                                 "code": existing.household.code})
    if member.relation not in Member.Relation.values:
        raise ValidationError(_("请选择与户主的关系。"))
    try:
        with transaction.atomic():
            member.save()
            audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CHANGE,
                         subject=audit.subject("household", household.pk),
                         summary=_("农户 %(code)s：登记家庭成员 %(name)s（%(id)s）") % {
                             "code": household.code, "name": masking.mask_name(member.name),
                             "id": member.id_number_masked})
    except IntegrityError as exc:  # registered by someone else a moment ago
        raise ValidationError(_("该身份证号已登记，同一人不能登记两次。")) from exc
    return member


def reveal(*, member: Member, field: str, actor, reason: str) -> str:
    """The full value of `field` ("id_number", "phone", "bank") for a role that may, with a
    reason (at least 4 characters); one audit row each time."""
    if field not in FIELDS:
        raise ValidationError(_("未知的字段。"))
    if not selectors.can_unmask(actor, member.household):
        raise ValidationError(_("您无权查看完整的个人信息。"), code="forbidden")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError(_("查看完整信息须填写事由（至少4个字）。"))
    label = FIELDS[field][0]
    value = crypto.decrypt(getattr(member, f"{field}_cipher"), field)
    audit.record(actor=actor, action=audit.Action.HOUSEHOLD_UNMASK,
                 subject=audit.subject("member", member.pk),
                 summary=_("查看农户 %(code)s 成员的完整%(label)s，事由：%(reason)s") % {
                     "code": member.household.code, "label": label, "reason": reason[:200]},
                 after={"field": field, "reason": reason[:200]})
    return value


def log_view(*, actor, what: str, count: int, subject: str = "households") -> None:
    """PIPL §51: every page or list of (masked) personal data shown, one audit row."""
    audit.record(actor=actor, action=audit.Action.HOUSEHOLD_VIEW, subject=subject[:60],
                 summary=_("查看%(what)s（%(n)s 条）") % {"what": what, "n": count})


def record_income(*, household: Household, actor, period_end, net_income, rigid_spending,
                  people) -> IncomeRecord:
    """The household's 12-month income up to `period_end` (a month's last day is kept as given),
    replacing a record of the same month."""
    from decimal import Decimal, InvalidOperation

    if not selectors.can_register(actor, household.region):
        raise ValidationError(_("您无权登记该户的收支。"), code="forbidden")
    try:
        income = Decimal(str(net_income).strip())
        spending = Decimal(str(rigid_spending or "0").strip())
        people = int(str(people).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("收入、刚性支出须为数字，家庭人口须为整数。")) from exc
    if not income.is_finite() or not spending.is_finite() or spending < 0:
        raise ValidationError(_("收入、刚性支出须为有效的数字，刚性支出不能为负。"))
    if not 1 <= people <= 30:
        raise ValidationError(_("家庭人口须为 1—30 人。"))
    if period_end is None:
        raise ValidationError(_("请按“2021-06”的格式填写统计截止月。"))
    with transaction.atomic():
        record, _created = IncomeRecord.objects.update_or_create(
            household=household, period_end=period_end,
            defaults={"net_income": income.quantize(Decimal("0.01")),
                      "rigid_spending": spending.quantize(Decimal("0.01")), "people": people})
        audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CHANGE,
                     subject=audit.subject("household", household.pk),
                     summary=_("农户 %(code)s：登记%(y)s年%(m)s月止的12个月收支") % {
                         "code": household.code, "y": period_end.year, "m": period_end.month})
    return record
