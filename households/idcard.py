"""居民身份证号码 (GB 11643-1999): the checksum, the birth date and the sex it carries. Pure."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


def normalize(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def check_digit(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse(value: str) -> tuple[str, datetime.date, str]:
    """(normalized number, birth date, "男"/"女"), or ValueError with a Chinese message."""
    number = normalize(value)
    if not PATTERN.match(number):
        raise ValueError(_("身份证号须为18位（最后一位可为X）。"))
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValueError(_("身份证号中的出生日期无效。")) from exc
    if not datetime.date(1900, 1, 1) <= born <= datetime.date.today():
        raise ValueError(_("身份证号中的出生日期无效。"))
    if check_digit(number[:17]) != number[17]:
        raise ValueError(_("身份证号校验位不正确，请核对。"))
    return number, born, "男" if int(number[16]) % 2 else "女"


def make(region_code: str, born: datetime.date, serial: int) -> str:
    """A valid number for generated (demo, synthetic) people: never a real person's."""
    first17 = f"{region_code[:6]}{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_digit(first17)
