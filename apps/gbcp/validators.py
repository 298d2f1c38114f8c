"""Check characters of Chinese identity codes: GB 32100-2015 and GB 11643-1999."""
import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 18 characters from this 31-character set (no I, O, S, V, Z).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# GB 11643-1999: weights 2^(17-i) mod 11 and the MOD 11-2 check character.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    code = (code or "").strip().upper()
    if not USCC_RE.match(code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def validate_uscc(value):
    if not is_valid_uscc(value):
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code (GB 32100-2015 check character)."),
            code="invalid_uscc",
            params={"value": value},
        )


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def is_valid_resident_id(number: str) -> bool:
    number = (number or "").strip().upper()
    if not ID_RE.match(number):
        return False
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_char(number[:17]) == number[17]


def validate_resident_id(value):
    if not is_valid_resident_id(value):
        raise ValidationError(
            _("“%(value)s” is not a valid resident ID number (GB 11643 MOD 11-2 check character)."),
            code="invalid_resident_id",
            params={"value": value},
        )


PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def validate_phone(value):
    if value and not PHONE_RE.match(value.replace(" ", "")):
        raise ValidationError(
            _("“%(value)s” is not a valid mainland China phone number."), code="invalid_phone", params={"value": value}
        )
