"""Masking of personal data (数据脱敏) by the viewer's clearance.

Every serializer, template and export shows personal data through this
module. There are three clearances: PUBLIC (citizens, partners, anonymous
and analysts), STAFF (dispatchers, officers, squad leaders, supervisors)
and FULL (legal reviewers, leaders, administrators).
"""
from enum import IntEnum


class Clearance(IntEnum):
    PUBLIC = 0
    STAFF = 1
    FULL = 2


STAR = "*"
ROAD_MARKERS = ("大街", "胡同", "路", "街", "巷", "道", "里", "村")


def _stars(n):
    return STAR * max(n, 0)


def mask_id_number(value: str, clearance: Clearance) -> str:
    if not value or clearance >= Clearance.FULL:
        return value or ""
    if clearance == Clearance.STAFF:
        return value[:6] + _stars(len(value) - 10) + value[-4:]
    return value[:1] + _stars(len(value) - 2) + value[-1:]


def mask_phone(value: str, clearance: Clearance) -> str:
    if not value or clearance >= Clearance.FULL:
        return value or ""
    digits = value.replace(" ", "")
    if clearance == Clearance.STAFF:
        return digits[:3] + _stars(len(digits) - 7) + digits[-4:]
    return _stars(len(digits) - 4) + digits[-4:]


def mask_plate(value: str, clearance: Clearance) -> str:
    if not value or clearance >= Clearance.FULL:
        return value or ""
    if clearance == Clearance.STAFF:
        return value[:3] + _stars(len(value) - 5) + value[-2:]
    return value[:2] + _stars(len(value) - 3) + value[-1:]


def mask_name(value: str, clearance: Clearance) -> str:
    if not value or clearance >= Clearance.STAFF:
        return value or ""
    return " ".join(part[:1] + _stars(len(part) - 1) if len(part) > 1 else part for part in value.split(" ")) if " " in value else value[:1] + _stars(max(len(value) - 1, 1))


def mask_address(value: str, clearance: Clearance) -> str:
    """The public sees the street, not the door."""
    if not value or clearance >= Clearance.STAFF:
        return value or ""
    # Keep up to the last road name before the house number.
    first_digit = next((i for i, ch in enumerate(value) if ch.isdigit()), len(value))
    head = value[:first_digit]
    cut = max((head.rfind(m) + len(m) for m in ROAD_MARKERS if m in head), default=0)
    if cut == 0 or cut >= len(value):
        cut = head and len(head) < len(value) and len(head) or max(len(value) // 2, 1)
    return value[:cut] + STAR * 4


def mask_email(value: str, clearance: Clearance) -> str:
    """Staff see the first letter and the domain (enough to recognise a repeat reporter); the public the domain only."""
    if not value or clearance >= Clearance.FULL:
        return value or ""
    local, at, domain = value.partition("@")
    if not at:
        return _stars(len(value))
    return (local[:1] + STAR * 3 if clearance == Clearance.STAFF else STAR * 4) + "@" + domain


def mask_opaque(value: str, clearance: Clearance) -> str:
    """An identifier of a person in another system (device or account id): staff see its ends, the public nothing."""
    if not value or clearance >= Clearance.FULL:
        return value or ""
    if clearance == Clearance.STAFF and len(value) > 6:
        return value[:2] + _stars(len(value) - 4) + value[-2:]
    return _stars(min(len(value), 8))


MASKERS = {
    "email": mask_email,
    "opaque": mask_opaque,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "plate": mask_plate,
    "name": mask_name,
    "address": mask_address,
}


def mask(kind: str, value, clearance: Clearance) -> str:
    if value is None:
        return ""
    return MASKERS[kind](str(value), Clearance(clearance))


def clearance_for(user) -> Clearance:
    """The clearance of a user; the rules for roles live in accounts."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Clearance.PUBLIC
    getter = getattr(user, "clearance", None)
    return Clearance(getter()) if callable(getter) else Clearance.PUBLIC
