"""System checks of sign-in (apps/accounts/checks.py), the rate limiter's failure mode and the per-user token cap."""
import pytest
from django.test import RequestFactory
from knox.models import AuthToken

from apps.accounts import checks, services, throttling
from apps.accounts.demo import PUBLISHED_DEMO_PASSWORD


def ids(problems):
    return [p.id for p in problems]


# --- rate limits: only an unreachable cache fails open --------------------------------------------------------------

def test_every_configured_rate_parses(settings):
    assert checks.rate_limits_check() == []


@pytest.mark.parametrize("rate", ["30/10 min", "thirty/m", "30/10x", "0/m", "5/0m", ""])
def test_a_rate_that_does_not_parse_is_a_startup_error(settings, rate):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": rate}
    problems = checks.rate_limits_check()
    assert ids(problems) == ["accounts.E001"] and "RATE_LIMIT_LOGIN" in problems[0].hint


@pytest.mark.parametrize("rate", ["30/10m", "60/m", "5/H", "100/d", "1/s"])
def test_the_forms_django_ratelimit_reads_pass(settings, rate):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": rate}
    assert checks.rate_limits_check() == []


@pytest.mark.parametrize("error", [ConnectionError("refused"), TimeoutError(), OSError("unreachable")])
def test_an_unreachable_cache_lets_the_request_through(monkeypatch, error):
    from redis.exceptions import ConnectionError as RedisConnectionError

    for exc in (error, RedisConnectionError("down")):
        def fail(*args, exc=exc, **kwargs):
            raise exc

        monkeypatch.setattr(throttling, "get_usage", fail)
        assert throttling.hit(RequestFactory().post("/accounts/login/"), group="login", rate="1/m") is None


def test_a_configuration_error_is_not_swallowed():
    # django-ratelimit's own failure on a rate it cannot read: it must surface, not switch the limit off.
    with pytest.raises(AttributeError):
        throttling.hit(RequestFactory().post("/accounts/login/"), group="login", rate="thirty per minute")


# --- demo accounts outside demo mode ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_active_demo_accounts_with_the_public_password_are_an_error_outside_demo_mode(settings):
    from apps.accounts.models import User

    settings.DEMO_MODE = True
    assert checks.demo_accounts_check() == []
    settings.DEMO_MODE = False
    User.objects.filter(username="citizen").update(is_active=False)  # cannot sign in anyway
    own = User.objects.get(username="dc_leader")
    own.set_password("an-operators-own-strong-password")
    own.save()
    for account in User.objects.filter(username__in=["admin", "merchant"]):
        account.set_password(PUBLISHED_DEMO_PASSWORD)
        account.save()
    problems = checks.demo_accounts_check(databases=["default"])
    assert ids(problems) == ["accounts.E002"]
    assert "admin" in problems[0].msg and "merchant" in problems[0].msg
    assert "citizen" not in problems[0].msg and "dc_leader" not in problems[0].msg
    assert ids(checks.demo_accounts_check()) == ["accounts.E002"]  # plain `manage.py check` reports it too
    services.demo_accounts_disable(user=None, usernames=[u.username for u in User.objects.all()],
                                   public_passwords={PUBLISHED_DEMO_PASSWORD, settings.DEMO_PASSWORD})
    assert checks.demo_accounts_check() == []


@pytest.mark.django_db
def test_the_demo_account_check_is_quiet_without_the_user_table(settings, monkeypatch):
    from django.db import connection

    settings.DEMO_MODE = False
    monkeypatch.setattr(type(connection.introspection), "table_names", lambda self, *a, **k: [])
    assert checks.demo_accounts_check() == []


@pytest.mark.django_db
def test_the_demo_account_check_is_quiet_when_the_database_is_away(settings, monkeypatch):
    from django.db import OperationalError, connection

    def away(self, *args, **kwargs):
        raise OperationalError("could not connect")

    settings.DEMO_MODE = False
    monkeypatch.setattr(type(connection.introspection), "table_names", away)
    assert checks.demo_accounts_check() == []


# --- SSL redirect behind a proxy -------------------------------------------------------------------------------------

def test_ssl_redirect_behind_a_proxy_without_the_proxy_ssl_header_is_a_warning(settings):
    settings.DEMO_MODE, settings.SECURE_SSL_REDIRECT, settings.SECURE_PROXY_SSL_HEADER = False, True, None
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = ["10.0.0.0/8"], 0
    problems = checks.proxy_ssl_redirect_check()
    assert ids(problems) == ["accounts.W001"] and problems[0].level == 30  # a warning, not an error
    settings.TRUSTED_PROXIES, settings.TRUSTED_PROXY_COUNT = [], 1
    assert ids(checks.proxy_ssl_redirect_check()) == ["accounts.W001"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert checks.proxy_ssl_redirect_check() == []
    settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT = None, False
    assert checks.proxy_ssl_redirect_check() == []
    settings.SECURE_SSL_REDIRECT, settings.TRUSTED_PROXY_COUNT = True, 0
    assert checks.proxy_ssl_redirect_check() == []  # no proxy: the redirect reaches the client
    settings.TRUSTED_PROXY_COUNT, settings.DEMO_MODE = 1, True
    assert checks.proxy_ssl_redirect_check() == []


# --- API tokens: at most TOKEN_LIMIT_PER_USER, the oldest goes -------------------------------------------------------

@pytest.mark.django_db
def test_at_the_token_cap_the_oldest_token_goes_and_sign_in_still_works(settings):
    import datetime as dt

    from django.utils import timezone

    from apps.accounts.models import User

    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 3}
    user = User.objects.get(username="dhm_officer1")
    AuthToken.objects.filter(user=user).delete()
    rows = []
    for age in (4, 3, 2):  # the first is the oldest
        row, _secret = services.api_token_issue(user=user)
        AuthToken.objects.filter(pk=row.pk).update(created=timezone.now() - dt.timedelta(days=age))
        rows.append(row)
    expired, _secret = AuthToken.objects.create(user=user, expiry=dt.timedelta(seconds=-1))  # does not count
    newest, _secret = services.api_token_issue(user=user)
    left = set(AuthToken.objects.filter(user=user).values_list("pk", flat=True))
    assert left == {rows[1].pk, rows[2].pk, newest.pk, expired.pk}
    assert AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).count() == 3
