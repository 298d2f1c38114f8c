"""Business sign-up by unified social credit code and a phone code: same answer for any code, hashed, short-lived,
limited tries, rate limited per address and per phone; the merchant user is bound to the business."""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Entity
from apps.gbcp.validators import uscc_check_char
from apps.portal.business_services import business_code_verify
from apps.portal.models import PhoneCode
from apps.realtime import sms

_capture = None


@pytest.fixture(autouse=True)
def recording_sms(settings):
    settings.SMS_PROVIDER = "apps.realtime.sms.RecordingProvider"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def business(db):
    entity = Entity.objects.exclude(contact_phone="").order_by("pk").first()
    assert entity is not None
    return entity


def _unknown_uscc():
    body = "91110101MA0000000"
    for n in range(1000):
        candidate = body[:-3] + f"{n:03d}"
        code = candidate + uscc_check_char(candidate)
        if not Entity.objects.filter(uscc=code).exists():
            return code
    raise AssertionError("no free code")


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def _request(client, uscc, phone):
    """The request, with its after-commit effects (the SMS) run as in production."""
    with _capture(execute=True):
        return client.post("/report/business/signup/", {"uscc": uscc, "phone": phone})


def _code_sent(outbox):
    return outbox[-1].params["code"]


@pytest.mark.django_db
def test_a_business_signs_in_with_the_code_sent_to_its_registered_phone(business, recording_sms):
    client = Client()
    answer = _request(client, business.uscc, business.contact_phone)
    assert answer.status_code == 302 and answer["Location"].endswith("/report/business/signup/verify/")
    assert len(recording_sms) == 1 and recording_sms[0].phone == business.contact_phone.replace(" ", "")
    code = _code_sent(recording_sms)
    row = PhoneCode.objects.get(entity=business)
    assert code not in row.code_hash and len(row.code_hash) == 64  # only the HMAC is kept
    done = client.post("/report/business/signup/verify/", {"code": code})
    assert done.status_code == 302 and done["Location"].endswith("/report/business/")
    user = User.objects.get(entity=business, phone=row.phone)
    assert not user.has_usable_password() and user.has_role("merchant") and not user.is_staff_member()
    home = client.get("/report/business/")
    assert home.status_code == 200 and business.name in home.content.decode()
    # The code works once.
    with pytest.raises(ApplicationError):
        business_code_verify(uscc=business.uscc, phone=business.contact_phone, code=code)


@pytest.mark.django_db
def test_an_unknown_code_or_a_wrong_phone_gets_the_same_answer_and_no_sms(business, recording_sms):
    known = _request(Client(), business.uscc, business.contact_phone)
    unknown = _request(Client(), _unknown_uscc(), business.contact_phone)
    wrong_phone = _request(Client(), business.uscc, "13900000000" if business.contact_phone != "13900000000" else "13900000001")
    assert known.status_code == unknown.status_code == wrong_phone.status_code == 302
    assert known["Location"] == unknown["Location"] == wrong_phone["Location"]
    assert len(recording_sms) == 1  # only the real business's phone got a code
    pages = [Client(), Client()]
    _request(pages[0], _unknown_uscc(), "13800000000")
    _request(pages[1], business.uscc, business.contact_phone)
    a, b = (page.get("/report/business/signup/verify/") for page in pages)
    assert a.status_code == b.status_code == 200 and a.content.decode().count("<form") == b.content.decode().count("<form")
    bad_a = pages[0].post("/report/business/signup/verify/", {"code": "123456"})
    bad_b = pages[1].post("/report/business/signup/verify/", {"code": "000000" if _code_sent(recording_sms) != "000000" else "111111"})
    assert bad_a.status_code == bad_b.status_code == 400


@pytest.mark.django_db
def test_an_invalid_uscc_is_refused_by_its_checksum(business):
    broken = business.uscc[:-1] + ("0" if business.uscc[-1] != "0" else "1")
    answer = _request(Client(), broken, business.contact_phone)
    assert answer.status_code == 400 and not PhoneCode.objects.exists()


@pytest.mark.django_db
def test_five_wrong_codes_void_the_code_and_an_old_code_expires(business, recording_sms, settings):
    client = Client()
    _request(client, business.uscc, business.contact_phone)
    code = _code_sent(recording_sms)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.PORTAL_CODE_MAX_ATTEMPTS):
        assert client.post("/report/business/signup/verify/", {"code": wrong}).status_code == 400
    assert PhoneCode.objects.get(entity=business).attempts == settings.PORTAL_CODE_MAX_ATTEMPTS
    assert client.post("/report/business/signup/verify/", {"code": code}).status_code == 400  # void now
    # A new code, then let it expire.
    _request(client, business.uscc, business.contact_phone)
    fresh = _code_sent(recording_sms)
    PhoneCode.objects.filter(entity=business, used_at__isnull=True).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.post("/report/business/signup/verify/", {"code": fresh}).status_code == 400
    assert not User.objects.filter(entity=business, username__startswith="biz-").exists()


@pytest.mark.django_db
def test_code_requests_are_rate_limited_per_phone_and_per_address(business, settings):
    settings.PORTAL_CODE_RATE_PER_PHONE = "2/h"
    settings.PORTAL_CODE_RATE_PER_ADDRESS = "4/h"
    statuses = [_request(Client(REMOTE_ADDR=f"10.0.0.{n}"), business.uscc, business.contact_phone).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    client = Client(REMOTE_ADDR="10.9.9.9")
    statuses = [_request(client, _unknown_uscc(), f"1380000{n:04d}").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 302, 429]
