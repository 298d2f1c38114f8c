"""Chinese identity codes, checked by python-stdnum (GB 32100-2015 credit codes, GB 11643-1999 resident IDs)
with the project's wording of errors; codes are normalised (spaces, dashes, case) before they are checked or stored."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc

# GB 32100-2015: 18 characters from this 31-character set (no I, O, S, V, Z).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalise_uscc(code: str) -> str:
    """``91360101 3EFBY6MJ59`` → ``913601013EFBY6MJ59``: what is checked and stored."""
    return uscc.compact(code or "")


def normalise_resident_id(number: str) -> str:
    return ric.compact(number or "")


def uscc_check_char(first17: str) -> str:
    return uscc.calc_check_digit(first17)


def is_valid_uscc(code: str) -> bool:
    return bool(code) and uscc.is_valid(code)


def validate_uscc(value):
    if not is_valid_uscc(value):
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code (GB 32100-2015 check character)."),
            code="invalid_uscc",
            params={"value": value},
        )


def id_check_char(first17: str) -> str:
    return ric.calc_check_digit(first17 + "0")  # the function reads the first 17 of an 18-character number


def is_valid_resident_id(number: str) -> bool:
    """Length, digits, birth date, the place code as assigned at birth and the MOD 11-2 check character."""
    return bool(number) and ric.is_valid(number)


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
