"""Business sign-up (商户认证): the unified social credit code and a code sent to the phone the ledger holds for it.

The phone that proves the business is ``gbcp.Entity.contact_phone`` (the contact the ledger imports keep for each
business). Whether a code is due is decided here; what the caller is told never depends on it: a USCC that is not
in the ledger, or a phone that is not the business's, gets the same answer as a real one (no enumeration), and
the same "wrong or expired code" at the second step. Codes are 6 digits, kept only as an HMAC, valid
``PORTAL_CODE_TTL_SECONDS`` and void after ``PORTAL_CODE_MAX_ATTEMPTS`` wrong tries; rate limits are the views'.
"""
import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.gbcp import aftercommit
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Entity
from apps.gbcp.validators import normalise_uscc
from apps.portal.models import PhoneCode
from apps.realtime import sms

SMS_TEMPLATE = "business_code"
HMAC_SALT = "apps.portal.business_code"


def normalise_phone(phone: str) -> str:
    return "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "+")


def _digest(code_id_salt: str, code: str) -> str:
    return salted_hmac(HMAC_SALT, f"{code_id_salt}:{code}", algorithm="sha256").hexdigest()


def _entity_for(uscc: str, phone: str) -> Entity | None:
    entity = Entity.objects.filter(uscc=normalise_uscc(uscc)).first()
    if entity is None or not entity.contact_phone or normalise_phone(entity.contact_phone) != normalise_phone(phone):
        return None
    return entity


@transaction.atomic
def business_code_request(*, uscc: str, phone: str) -> None:
    """Send a fresh code if the USCC is a business in the ledger whose contact phone is ``phone``; else do nothing.

    Earlier unused codes of that business and phone are voided, so only the latest works.
    """
    entity = _entity_for(uscc, phone)
    code = f"{secrets.randbelow(10 ** 6):06d}"  # drawn either way: the two answers cost the same
    if entity is None:
        return
    phone = normalise_phone(phone)
    now = timezone.now()
    PhoneCode.objects.filter(entity=entity, phone=phone, used_at__isnull=True).update(used_at=now)
    row = PhoneCode.objects.create(entity=entity, phone=phone, code_hash="",
                                   expires_at=now + dt.timedelta(seconds=settings.PORTAL_CODE_TTL_SECONDS))
    row.code_hash = _digest(_salt_of(row), code)  # salted with the row's own id: equal codes differ at rest
    row.save(update_fields=["code_hash"])
    aftercommit.on_commit(lambda: sms.send_sms(phone, sms.template_id(SMS_TEMPLATE), {"code": code}), event="portal:business-code")


def _salt_of(row: PhoneCode) -> str:
    return f"{row.entity_id}:{row.phone}:{row.pk}"


def _wrong():
    return ApplicationError(_("The code is wrong or has expired. Ask for a new one."), code="invalid_code",
                            details={"code": [_("The code is wrong or has expired.")]})


def business_code_verify(*, uscc: str, phone: str, code: str) -> User:
    """The merchant user of the business for that phone (created at the first sign-in) when the code is right.

    A wrong code counts against the code even though the caller is answered with an error (committed first).
    """
    entity = Entity.objects.filter(uscc=normalise_uscc(uscc)).first()
    phone, code = normalise_phone(phone), (code or "").strip()
    account = None
    with transaction.atomic():
        row = (PhoneCode.objects.select_for_update().filter(entity=entity, phone=phone, used_at__isnull=True,
                                                            expires_at__gt=timezone.now()).order_by("-created_at", "-id").first()
               if entity is not None else None)
        if row is not None and row.attempts < settings.PORTAL_CODE_MAX_ATTEMPTS:
            if constant_time_compare(row.code_hash, _digest(_salt_of(row), code)):
                row.used_at = timezone.now()
                row.save(update_fields=["used_at"])
                account = _merchant_user(entity=entity, phone=phone)
            else:
                row.attempts += 1
                row.save(update_fields=["attempts"])
    if account is None:
        raise _wrong()
    return account


def _merchant_user(*, entity: Entity, phone: str) -> User:
    existing = User.objects.filter(entity=entity, phone=phone, is_active=True).order_by("pk").first()
    if existing is not None:
        return existing
    username = f"biz-{entity.uscc}-{phone[-4:]}"
    if User.objects.filter(username=username).exists():  # a deactivated account of that phone: a new name
        username = f"{username}-{secrets.token_hex(3)}"
    account = account_services.user_ensure(user=None, username=username, display_name=entity.name, phone=phone, entity=entity)
    account.set_unusable_password()  # signs in by phone code only
    account.save(update_fields=["password"])
    return account
