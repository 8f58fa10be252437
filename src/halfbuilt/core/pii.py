"""Personal information (个人信息保护法, GB/T 35273): a contact's name and phone, masked where a duty does not need
them — "138****1234", "张*" — in lists, exports, API answers and the change history; the full values are shown
to who maintains the record, and to others on request, each such view logged (audit.services.record_personal_view:
ledger/contacts.py, tipoffs/services.py)."""

from __future__ import annotations

PHONE, NAME = "phone", "name"
MASK = "*"


def mask_phone(value: str) -> str:
    """Keep the first three and the last four digits of a mobile number (the carrier and the line's end)."""
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) < 8:
        return MASK * 4
    return f"{text[:3]}{MASK * 4}{text[-4:]}"


def mask_name(value: str) -> str:
    """Keep the surname's first character: 张伟 → 张*, 欧阳娜娜 → 欧***."""
    text = (value or "").strip()
    return f"{text[0]}{MASK * (len(text) - 1 or 1)}" if text else ""


MASKERS = {PHONE: mask_phone, NAME: mask_name}


def masked(kind: str, value) -> str:
    return MASKERS[kind](str(value or ""))


def is_mask_of(kind: str, given, stored) -> bool:
    """Whether `given` is the masked form of `stored` (an exported or read-back value sent back unchanged)."""
    return bool(given) and MASK in str(given) and str(given) == masked(kind, stored)
