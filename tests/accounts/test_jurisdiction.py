import pytest

from apps.accounts.jurisdiction import EVERYTHING, covers_code, jurisdiction_prefixes
from apps.accounts.models import User


@pytest.mark.django_db
def test_prefixes_follow_the_organisation_level(insider, street_officer, admin_user):
    assert jurisdiction_prefixes(insider) == ["110101"]
    assert jurisdiction_prefixes(street_officer) == ["110101001"]
    assert jurisdiction_prefixes(admin_user) is EVERYTHING
    assert jurisdiction_prefixes(User.objects.get(username="city_dispatcher")) == ["1101"]


@pytest.mark.django_db
def test_citizens_and_merchants_have_no_staff_jurisdiction():
    assert jurisdiction_prefixes(User.objects.get(username="citizen")) == []
    assert jurisdiction_prefixes(User.objects.get(username="merchant")) == []


@pytest.mark.django_db
def test_a_city_user_covers_every_district(insider):
    city = User.objects.get(username="city_dispatcher")
    assert covers_code(city, "110108001") and covers_code(city, "110101")
    assert covers_code(insider, "110101001001") and not covers_code(insider, "110108")


@pytest.mark.django_db
def test_a_revoked_membership_takes_the_jurisdiction_away(insider):
    from apps.accounts import services

    membership = insider.memberships.get()
    services.membership_revoke(user=insider, membership=membership)
    fresh = User.objects.get(pk=insider.pk)
    assert jurisdiction_prefixes(fresh) == []
    assert membership.history.first().history_user == insider


@pytest.mark.django_db
def test_me_endpoint_insider_and_anonymous(api, api_as, insider):
    body = api_as(insider).get("/api/accounts/me/").json()
    assert body["roles"] == ["dispatcher"] and body["jurisdiction"] == ["110101"]
    assert api.get("/api/accounts/me/").status_code == 401


@pytest.mark.django_db
def test_a_token_is_issued_for_the_demo_password_and_works(api, settings):
    response = api.post("/api/accounts/token/", {"username": "dc_dispatcher", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/accounts/me/").json()["username"] == "dc_dispatcher"
    wrong = api.post("/api/accounts/token/", {"username": "dc_dispatcher", "password": "nope"})
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid"
