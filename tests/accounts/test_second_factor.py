"""Second factor (TOTP, django-otp) for staff: enrolment with a QR and a first code, the code after every password
sign-in before any staff or admin page, the admin's reset, the token sign-in of field units, rate limits."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.personas import five_callers

STAFF_PAGE = "/supervision/"


def code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def device_for(user):
    return TOTPDevice.objects.create(user=user, name="totp", confirmed=True)


def signed_in(user, settings):
    client = Client()
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    assert client.post("/accounts/login/", {"username": user.username, "password": settings.DEMO_PASSWORD}).status_code == 302
    return client


@pytest.fixture
def squad(db):
    from apps.gbcp.models import Organization

    return Organization.objects.select_related("region").get(name="东华门街道综合行政执法队")


@pytest.mark.django_db
def test_staff_with_a_device_must_enter_a_real_code_before_staff_and_admin_pages(settings, squad):
    callers = five_callers(role="squad_leader", organization=squad)
    staff = callers.insider
    device = device_for(staff)
    client = signed_in(staff, settings)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/?next=")
    staff.is_staff = True
    staff.save()
    assert client.get("/admin/")["Location"].startswith("/accounts/otp/")
    assert client.get("/api/supervision/items/").status_code == 403  # the session API too
    wrong = client.post("/accounts/otp/", {"code": "000000" if code(device) != "000000" else "111111", "next": STAFF_PAGE})
    assert wrong.status_code == 400
    assert client.get(STAFF_PAGE).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None  # django-otp slows a device after a failure
    device.save()
    right = client.post("/accounts/otp/", {"code": code(device), "next": STAFF_PAGE})
    assert right.status_code == 302 and right["Location"] == STAFF_PAGE
    assert client.get(STAFF_PAGE).status_code == 200


@pytest.mark.django_db
def test_without_a_device_staff_pass_unless_enrolment_is_required_and_others_are_never_asked(settings, squad):
    callers = five_callers(role="squad_leader", organization=squad)
    settings.STAFF_OTP_REQUIRED = False
    assert signed_in(callers.insider, settings).get(STAFF_PAGE).status_code == 200
    settings.STAFF_OTP_REQUIRED = True
    for name, user in callers.items():
        if user is None:
            response = Client().get(STAFF_PAGE)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), name
            continue
        client = signed_in(user, settings)
        response = client.get(STAFF_PAGE)
        if name in {"insider", "outsider"}:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/enrol/"), name
        else:  # citizens and merchants keep their pages; the staff page refuses them as before
            assert response.status_code == 403, name
            assert client.get("/accounts/otp/enrol/").status_code == 404, name


@pytest.mark.django_db
def test_enrolment_shows_a_qr_and_confirms_with_the_first_code(settings, squad):
    settings.STAFF_OTP_REQUIRED = True
    staff = five_callers(role="officer", organization=squad).insider
    client = signed_in(staff, settings)
    page = client.get("/accounts/otp/enrol/?next=" + STAFF_PAGE)
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = re.search(rb'class="acc-secret">([A-Z2-7=]+)<', page.content).group(1).decode()
    import base64

    assert base64.b32decode(secret) == device.bin_key
    assert client.post("/accounts/otp/enrol/", {"code": "12345x"}).status_code == 400
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    done = client.post("/accounts/otp/enrol/", {"code": code(device), "next": STAFF_PAGE})
    assert done.status_code == 302 and done["Location"] == STAFF_PAGE
    assert client.get(STAFF_PAGE).status_code == 200  # this session counts as verified
    # The next sign-in asks for the code.
    again = signed_in(staff, settings)
    assert again.get(STAFF_PAGE)["Location"].startswith("/accounts/otp/")


@pytest.mark.django_db
def test_an_administrator_resets_a_device_with_a_logged_admin_action(settings, squad):
    from django.contrib.admin.models import LogEntry

    staff = five_callers(role="officer", organization=squad).insider
    device_for(staff)
    admin = get_user_model().objects.get(username="admin")
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post("/admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [staff.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert LogEntry.objects.filter(object_id=str(staff.pk), change_message__contains="second factor reset").exists()


@pytest.mark.django_db
def test_token_sign_in_asks_for_the_code_when_the_user_has_a_device(settings, squad):
    staff = five_callers(role="officer", organization=squad).insider
    staff.set_password(settings.DEMO_PASSWORD)
    staff.save()
    device = device_for(staff)
    body = {"username": staff.username, "password": settings.DEMO_PASSWORD}
    missing = APIClient().post("/api/accounts/token/", body, format="json")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "otp_required"
    wrong = APIClient().post("/api/accounts/token/", {**body, "otp": "999999" if code(device) != "999999" else "888888"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid_otp"
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    # One code for both requests: computed twice, the second could fall in the next 30-second step and be a new code.
    otp = code(device)
    right = APIClient().post("/api/accounts/token/", {**body, "otp": otp}, format="json")
    assert right.status_code == 200 and right.json()["token"]
    # The same code cannot be used twice (django-otp remembers the last time step).
    replay = APIClient().post("/api/accounts/token/", {**body, "otp": otp}, format="json")
    assert replay.status_code == 400


@pytest.mark.django_db
def test_code_attempts_are_rate_limited_per_address(settings, squad):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "otp": "3/10m"}
    staff = five_callers(role="officer", organization=squad).insider
    device_for(staff)
    client = signed_in(staff, settings)
    answers = [client.post("/accounts/otp/", {"code": "000001"}).status_code for _n in range(4)]
    assert answers[:3] == [400, 400, 400] and answers[3] == 429
