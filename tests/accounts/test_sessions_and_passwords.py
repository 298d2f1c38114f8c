"""Back-office sessions end when idle and after an absolute time (staff only); password rules; the change page."""
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from apps.accounts import otp
from tests.personas import five_callers

STAFF_PAGE = "/supervision/"


@pytest.fixture
def squad(db):
    from apps.gbcp.models import Organization

    return Organization.objects.select_related("region").get(name="东华门街道综合行政执法队")


def _age(client, key, seconds):
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


@pytest.mark.django_db
def test_an_idle_staff_session_ends_and_a_citizen_session_does_not(settings, squad):
    settings.STAFF_SESSION_IDLE_SECONDS = 600
    callers = five_callers(role="squad_leader", organization=squad)
    staff, citizen = Client(), Client()
    staff.force_login(callers.insider)
    citizen.force_login(callers.citizen)
    assert staff.get(STAFF_PAGE).status_code == 200
    _age(staff, otp.SESSION_SEEN_AT, 599)
    assert staff.get(STAFF_PAGE).status_code == 200  # within the limit, and the visit counts as activity
    assert staff.session[otp.SESSION_SEEN_AT] > int(time.time()) - 5
    _age(staff, otp.SESSION_SEEN_AT, 601)
    response = staff.get(STAFF_PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in staff.session
    _age(citizen, otp.SESSION_SEEN_AT, 10 * 24 * 3600)
    assert citizen.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_staff_session_ends_after_the_absolute_time_however_active(settings, squad):
    settings.STAFF_SESSION_ABSOLUTE_SECONDS = 3600
    staff = Client()
    staff.force_login(five_callers(role="officer", organization=squad).insider)
    _age(staff, otp.SESSION_AUTH_AT, 3599)
    assert staff.get(STAFF_PAGE).status_code == 200
    _age(staff, otp.SESSION_AUTH_AT, 3601)
    assert staff.get(STAFF_PAGE)["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_staff_need_twelve_characters_citizens_the_general_minimum(squad):
    callers = five_callers(role="officer", organization=squad)
    with pytest.raises(ValidationError) as short:
        validate_password("Qz7!vRt2#kLm", user=None)  # 12 characters: fine for anyone
        validate_password("Qz7!vRt2#k", user=callers.insider)
    assert "password_too_short" in {e.code for e in short.value.error_list}
    validate_password("Qz7!vRt2#k", user=callers.citizen)  # 10 characters: a citizen may
    validate_password("Qz7!vRt2#kLm", user=callers.insider)


@pytest.mark.django_db
def test_common_numeric_and_similar_passwords_are_refused(squad):
    officer = five_callers(role="officer", organization=squad).insider
    officer.display_name = "wangxiaoming"
    for password, reason in [("password1234", "password_too_common"), ("839201748392", "password_entirely_numeric"),
                             ("wangxiaoming1", "password_too_similar")]:
        with pytest.raises(ValidationError) as refused:
            validate_password(password, user=officer)
        assert reason in {e.code for e in refused.value.error_list}, password


@pytest.mark.django_db
def test_the_password_change_page_applies_the_rules_and_keeps_the_session(settings, squad):
    callers = five_callers(role="officer", organization=squad)
    officer = callers.insider
    officer.set_password(settings.DEMO_PASSWORD)
    officer.save()
    client = Client()
    client.force_login(officer)
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    short = client.post("/accounts/password/", {"old_password": settings.DEMO_PASSWORD, "new_password1": "Qz7!vRt2#k", "new_password2": "Qz7!vRt2#k"})
    assert short.status_code == 400
    done = client.post("/accounts/password/", {"old_password": settings.DEMO_PASSWORD, "new_password1": "Qz7!vRt2#kLm9", "new_password2": "Qz7!vRt2#kLm9"})
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Qz7!vRt2#kLm9")
    assert client.get(STAFF_PAGE).status_code == 200
    assert Client().get("/accounts/password/")["Location"].startswith("/accounts/login/")  # anonymous
