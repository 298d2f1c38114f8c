"""Shared fixtures: a small real demo city (three districts) loaded once per test session."""
import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

TEST_DISTRICTS = "110101,110102,110108"  # 东城, 西城, 海淀


def pytest_configure(config):
    """Passwords in tests are hashed with a fast hasher: the production hasher (PBKDF2, a million rounds) costs about
    half a second a user, and the demo city, the personas and the login tests make hundreds of them. What the tests
    check of passwords (validators, lockout, demo accounts retired) does not depend on the hasher."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", districts=TEST_DISTRICTS, places=60, entities=30, quiet_progress=True, stdout=io.StringIO())


@pytest.fixture(autouse=True, scope="session")
def eager_celery():
    """Jobs run in the test's own process on both backends (with REDIS_URL no worker is running)."""
    from cityenforce.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def clean_cache():
    """Rate limits and other cached counters start from zero (Redis keeps them between runs)."""
    from django.core.cache import cache

    cache.clear()
    yield


def _user(username):
    from apps.accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def insider(db):
    """A dispatcher of 东城区 (110101)."""
    return _user("dc_dispatcher")


@pytest.fixture
def outsider(db):
    """A dispatcher of 海淀区 (110108): another district."""
    return _user("hd_dispatcher")


@pytest.fixture
def street_officer(db):
    """An officer of the 东华门 street squad (110101001)."""
    return _user("dhm_officer1")


@pytest.fixture
def legal_reviewer(db):
    return _user("dc_legal")


@pytest.fixture
def analyst(db):
    return _user("city_analyst")


@pytest.fixture
def admin_user(db):
    return _user("admin")


@pytest.fixture
def citizen(db):
    """A signed-in citizen (市民): sees only what is theirs."""
    return _user("citizen")


@pytest.fixture
def merchant(db):
    """A signed-in merchant (商户) of a 东城 business: sees only its own places, notices and credit."""
    return _user("merchant")


@pytest.fixture
def personas(db):
    """The five callers every permission test asks: insider, outsider, citizen, merchant, anonymous (None).

    ``insider`` is a 东城 (110101) dispatcher, ``outsider`` a 海淀 (110108) dispatcher. Tests that need
    another insider (an officer, a legal reviewer) replace that key.
    """
    return {
        "insider": _user("dc_dispatcher"),
        "outsider": _user("hd_dispatcher"),
        "citizen": _user("citizen"),
        "merchant": _user("merchant"),
        "anonymous": None,
    }


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as():
    def make(user):
        client = APIClient()
        if user is not None:  # None is the anonymous persona
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def dongcheng_place(db):
    from apps.gbcp.models import Place

    return Place.objects.filter(region__code__startswith="110101").select_related("region").order_by("id").first()


@pytest.fixture
def haidian_place(db):
    from apps.gbcp.models import Place

    return Place.objects.filter(region__code__startswith="110108").order_by("id").first()
