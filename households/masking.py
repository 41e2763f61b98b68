"""How personal data is shown when it is not shown in full (GB/T 35273 §7.2 去标识化展示):
one function per kind of value, used by every page, export and API response. Pure."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """110101********1234: the region code and the last four; nothing else of the birth date."""
    value = (value or "").strip()
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """138****1234."""
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_bank_account(value: str) -> str:
    """****1234: the last four digits only."""
    value = (value or "").replace(" ", "")
    return "****" + value[-4:] if len(value) > 4 else "*" * len(value)


def mask_name(value: str) -> str:
    """张*明 (three characters or more), 张* (two): where a notice or a list needs a name."""
    value = (value or "").strip()
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
