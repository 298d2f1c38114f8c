"""API tokens: issued per device, stored hashed, expire, and are revoked by their owner or an administrator."""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.test import APIClient


def issue(settings, username="dc_dispatcher"):
    response = APIClient().post("/api/accounts/token/", {"username": username, "password": settings.DEMO_PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def signed(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.mark.django_db
def test_a_token_expires_after_the_configured_days_and_is_stored_only_as_a_digest(settings):
    body = issue(settings)
    row = AuthToken.objects.get(token_key=body["token"][:CONSTANTS.TOKEN_KEY_LENGTH])
    assert row.digest != body["token"] and body["token"] not in row.digest
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert abs((row.expiry - timezone.now()) - ttl) < dt.timedelta(minutes=1)
    assert signed(body["token"]).get("/api/accounts/me/").status_code == 200


@pytest.mark.django_db
def test_an_expired_token_gets_401(settings):
    body = issue(settings)
    AuthToken.objects.filter(token_key=body["token"][:CONSTANTS.TOKEN_KEY_LENGTH]).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = signed(body["token"]).get("/api/accounts/me/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Token")


@pytest.mark.django_db
def test_revoking_the_current_token_leaves_the_other_devices_signed_in(settings):
    phone, tablet = issue(settings)["token"], issue(settings)["token"]
    assert signed(phone).post("/api/accounts/token/revoke/").status_code == 204
    assert signed(phone).get("/api/accounts/me/").status_code == 401
    assert signed(tablet).get("/api/accounts/me/").status_code == 200


@pytest.mark.django_db
def test_revoking_all_tokens_signs_out_every_device_and_only_the_callers(settings):
    phone, tablet = issue(settings)["token"], issue(settings)["token"]
    other = issue(settings, "hd_dispatcher")["token"]
    assert signed(phone).post("/api/accounts/token/revoke-all/").status_code == 204
    assert signed(phone).get("/api/accounts/me/").status_code == 401
    assert signed(tablet).get("/api/accounts/me/").status_code == 401
    assert signed(other).get("/api/accounts/me/").status_code == 200


@pytest.mark.django_db
def test_revoking_needs_a_signed_in_caller_and_a_token_for_the_current_one(settings, api, insider):
    assert api.post("/api/accounts/token/revoke/").status_code == 401
    assert api.post("/api/accounts/token/revoke-all/").status_code == 401
    session = APIClient()
    session.force_login(insider)
    response = session.post("/api/accounts/token/revoke/")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_an_administrator_revokes_a_token_in_the_admin(settings, admin_user):
    body = issue(settings)
    row = AuthToken.objects.get(token_key=body["token"][:CONSTANTS.TOKEN_KEY_LENGTH])
    web = Client()
    web.force_login(admin_user)
    listing = web.get("/admin/knox/authtoken/")
    assert listing.status_code == 200 and row.digest in listing.content.decode()
    response = web.post(f"/admin/knox/authtoken/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert signed(body["token"]).get("/api/accounts/me/").status_code == 401


@pytest.mark.django_db
def test_an_inactive_users_token_gets_401(settings):
    from apps.accounts.models import User

    body = issue(settings, "zgc_officer")
    User.objects.filter(username="zgc_officer").update(is_active=False)
    assert signed(body["token"]).get("/api/accounts/me/").status_code == 401
