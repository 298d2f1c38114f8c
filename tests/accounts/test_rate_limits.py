"""Rate limits and the login lockout over real HTTP: 429 with Retry-After on every login route and on Open311 POST,
keyed on the client address behind a trusted proxy only."""
import pytest
from django.test import Client, RequestFactory

from apps.accounts.throttling import client_ip

WRONG = "not-the-password"


@pytest.fixture
def web():
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    return client


def web_login(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def admin_login(client, username, password, **extra):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, **extra)


def api_login(api, username, password, **extra):
    return api.post("/api/accounts/token/", {"username": username, "password": password}, format="json", **extra)


# --- the lockout after failed logins (django-axes) ------------------------------------------------------------

@pytest.mark.django_db
def test_the_web_login_is_locked_after_five_failures_even_for_the_right_password(web, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert web_login(web, "dc_dispatcher", WRONG).status_code == 200
    locked = web_login(web, "dc_dispatcher", WRONG)
    assert locked.status_code == 429 and int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME * 3600
    html = locked.content.decode()
    assert "请求过多" in html and "登录失败次数过多" in html  # a Chinese page for people
    again = web_login(web, "dc_dispatcher", settings.DEMO_PASSWORD)
    assert again.status_code == 429 and "_auth_user_id" not in web.session
    # Another address may still sign in as that user: the lockout is per username and address.
    ok = web_login(Client(REMOTE_ADDR="10.1.2.3"), "dc_dispatcher", settings.DEMO_PASSWORD)
    assert ok.status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_locked_after_five_failures(web, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert admin_login(web, "admin", WRONG).status_code == 200
    assert admin_login(web, "admin", WRONG).status_code == 429
    response = admin_login(web, "admin", settings.DEMO_PASSWORD)
    assert response.status_code == 429 and response["Retry-After"]


@pytest.mark.django_db
def test_the_api_token_endpoint_is_locked_after_five_failures_with_the_api_error_format(api, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = api_login(api, "dc_dispatcher", WRONG)
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    locked = api_login(api, "dc_dispatcher", WRONG)
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    body = locked.json()
    assert body["error"]["code"] == "throttled" and body["error"]["details"]["retry_after"] == int(locked["Retry-After"])
    assert api_login(api, "dc_dispatcher", settings.DEMO_PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(web, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        web_login(web, "dc_dispatcher", WRONG)
    assert web_login(web, "dc_dispatcher", settings.DEMO_PASSWORD).status_code == 302
    web.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert web_login(web, "dc_dispatcher", WRONG).status_code == 200


# --- the per-address rate of login attempts (password spraying over many usernames) ---------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("route", [web_login, admin_login, api_login])
def test_many_logins_from_one_address_get_429_whatever_the_username(route, web, api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/h"}
    client = api if route is api_login else web
    for i in range(3):
        assert route(client, f"nobody{i}", WRONG).status_code in (200, 400)
    refused = route(client, "nobody-else", WRONG)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600


@pytest.mark.django_db
def test_the_three_login_routes_share_one_budget_per_address(web, api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/h"}
    web_login(web, "a1", WRONG)
    admin_login(web, "a2", WRONG)
    api_login(api, "a3", WRONG)
    assert api_login(api, "a4", WRONG).status_code == 429
    assert web_login(web, "a5", WRONG).status_code == 429


# --- Open311 POST -------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_open311_post_is_rate_limited_per_address_in_open311_format(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "open311-post": "3/h"}
    for _ in range(3):
        assert api.post("/open311/v2/requests.json", {"api_key": "guess"}, format="json").status_code == 403
    refused = api.post("/open311/v2/requests.json", {"api_key": "guess"}, format="json")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert refused.json()[0]["code"] == 429 and refused.json()[0]["description"]
    # Reads are not limited by it, and another address still posts.
    assert api.get("/open311/v2/services.json").status_code == 200
    assert api.post("/open311/v2/requests.json", {"api_key": "guess"}, format="json", REMOTE_ADDR="10.9.9.9").status_code == 403


# --- the client address behind proxies -------------------------------------------------------------------------------------

def _ip(settings, remote, forwarded=None, proxies=(), count=0):
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = list(proxies), count
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    assert _ip(settings, "203.0.113.7", "1.2.3.4") == "203.0.113.7"


def test_x_forwarded_for_is_read_from_a_trusted_proxy_from_the_right(settings):
    lb = ["10.0.0.0/24"]
    # The client wrote "1.2.3.4" itself; our proxy appended the address it saw.
    assert _ip(settings, "10.0.0.5", "1.2.3.4, 198.51.100.20", proxies=lb) == "198.51.100.20"
    # Two of our proxies in a row are skipped.
    assert _ip(settings, "10.0.0.5", "1.2.3.4, 198.51.100.20, 10.0.0.9", proxies=lb) == "198.51.100.20"
    # A caller that is not our proxy cannot choose its address.
    assert _ip(settings, "203.0.113.7", "1.2.3.4", proxies=lb) == "203.0.113.7"
    # Garbage in the header does not become the key.
    assert _ip(settings, "10.0.0.5", "<script>, 10.0.0.8", proxies=lb) == "10.0.0.8"


def test_a_fixed_proxy_count_takes_the_entry_its_outermost_proxy_wrote(settings):
    assert _ip(settings, "10.0.0.5", "1.2.3.4, 198.51.100.20", count=1) == "198.51.100.20"
    assert _ip(settings, "10.0.0.5", "1.2.3.4, 198.51.100.20, 10.0.0.3", count=2) == "198.51.100.20"
    assert _ip(settings, "10.0.0.5", None, count=1) == "10.0.0.5"


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_budget(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "open311-post": "2/h"}
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    def post(client_address, remote="10.0.0.5"):
        return api.post("/open311/v2/requests.json", {}, format="json", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=client_address).status_code

    assert [post("198.51.100.1") for _ in range(3)] == [403, 403, 429]
    assert post("198.51.100.2") == 403  # another citizen behind the same load balancer
    # Without the trusted proxy the header is the caller's own claim: rotating it does not reset the budget.
    assert [post(f"198.51.100.{i}", remote="203.0.113.9") for i in range(10, 13)] == [403, 403, 429]
