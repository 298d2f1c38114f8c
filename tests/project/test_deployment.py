"""Deployment posture: `check --deploy` is clean in production settings, every page keeps the CSP (inline code only
with the nonce), the demo accounts stop working and seed_demo refuses when demo mode is off."""
import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b([^>]*)>", re.I)


def test_check_deploy_is_clean_with_demo_mode_off(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CITYENFORCE_", "CASES_"))},
        "CITYENFORCE_DEMO": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "city.example.cn",
        "CITYENFORCE_VAR_DIR": str(tmp_path),
        # A real gateway is required outside demo mode (apps/cases/checks.py); a stand-in class will do here.
        "CASES_PAYMENT_PROVIDER": "tests.project.deploy_gateway.Gateway",
        "CASES_DOCUMENT_SIGNER": "tests.project.deploy_gateway.SealPlatformSigner",
        "CASES_PAYMENT_SECRET": secrets.token_urlsafe(40),
    }
    env.pop("SQLITE_TEST_PATH", None)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_on_hsts_ssl_and_secure_cookies(tmp_path):
    env = {**os.environ, "CITYENFORCE_DEMO": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(60), "CITYENFORCE_VAR_DIR": str(tmp_path),
           "DJANGO_SECURE_HSTS_SECONDS": "600", "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    code = ("from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
            " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "600 True False True True True ('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr
    # HSTS preload is opt-in: a promise to the browser vendors that is hard to take back.
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env={**env, "DJANGO_SECURE_HSTS_PRELOAD": "1"},
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "600 True True True True True ('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


def test_the_proxy_ssl_header_is_not_trusted_unless_configured(settings):
    assert not hasattr(settings, "SECURE_PROXY_SSL_HEADER") or settings.SECURE_PROXY_SSL_HEADER is None


def _nonce(response):
    header = response["Content-Security-Policy"]
    found = re.search(r"'nonce-([^']+)'", header)
    return header, found.group(1) if found else None


def _assert_keeps_the_csp(response, url):
    assert response.status_code == 200, (url, response.status_code)
    header, nonce = _nonce(response)
    assert "default-src 'self'" in header and "object-src 'none'" in header and "unsafe-inline" not in header
    html = response.content.decode()
    for attributes in INLINE_SCRIPT.findall(html):
        if 'type="application/json"' in attributes:
            continue  # data, never executed (json_script)
        assert nonce and f'nonce="{nonce}"' in attributes, (url, attributes)
    for attributes in INLINE_STYLE.findall(html):
        assert nonce and f'nonce="{nonce}"' in attributes, (url, attributes)
    assert not EVENT_HANDLER.search(html), (url, EVENT_HANDLER.search(html).group(0))
    assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html).group(0))


@pytest.mark.django_db
def test_every_kind_of_page_keeps_the_csp(admin_user, insider, dongcheng_place):
    from apps.dispatch.models import Task

    task = Task.objects.filter(region_code__startswith="110101").order_by("id").first()
    staff_pages = ["/", "/map/", f"/places/{dongcheng_place.pk}/", "/messages/", "/dispatch/", "/dispatch/overdue/",
                   "/devices/map/", "/ledger/", "/evidence/", "/cases/", "/cases/onsite/", "/inspection/"]
    if task is not None:
        staff_pages.append(f"/dispatch/tasks/{task.pk}/")
    staff = Client()
    staff.force_login(insider)
    for url in staff_pages:
        _assert_keeps_the_csp(staff.get(url, follow=True), url)
    admin = Client()
    admin.force_login(admin_user)
    for url in ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/knox/authtoken/",
                "/admin/axes/accessattempt/", "/api/docs/"]:
        _assert_keeps_the_csp(admin.get(url), url)
    public = Client()
    for url in ["/accounts/login/", "/admin/login/", "/report/", "/report/track/"]:
        _assert_keeps_the_csp(public.get(url), url)


@pytest.mark.django_db
def test_the_api_docs_load_swagger_ui_from_our_own_static_files(admin_user):
    client = Client()
    client.force_login(admin_user)
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "//" not in re.sub(r"https?://testserver", "", "".join(re.findall(r'(?:src|href)="([^"]+)"', html)))
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_error_and_rate_limit_pages_keep_the_csp(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1/m"}
    client = Client()
    client.post("/accounts/login/", {"username": "x", "password": "y"})
    refused = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 429 and "Content-Security-Policy" in refused
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "Content-Security-Policy" in missing


# --- demo accounts and seed_demo outside demo mode -----------------------------------------------------------------

@pytest.mark.django_db
def test_demo_accounts_become_unusable_when_demo_mode_is_off(settings):
    from apps.accounts.models import User

    settings.DEMO_MODE = False
    kept = User.objects.get(username="dc_leader")
    kept.set_password("an-operators-own-strong-password")
    kept.save()
    call_command("retire_demo_accounts", stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    assert not admin.has_usable_password()
    web = Client()
    assert web.post("/accounts/login/", {"username": "admin", "password": settings.DEMO_PASSWORD}).status_code == 200
    assert "_auth_user_id" not in web.session
    token = Client().post("/api/accounts/token/", {"username": "dc_dispatcher", "password": settings.DEMO_PASSWORD},
                          content_type="application/json")
    assert token.status_code == 400
    # An account whose password the operator changed is left alone.
    assert User.objects.get(username="dc_leader").check_password("an-operators-own-strong-password")


@pytest.mark.django_db
def test_migrate_retires_the_demo_accounts_outside_demo_mode(settings):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from apps.accounts.models import User

    settings.DEMO_MODE = True
    post_migrate.send(sender=apps.get_app_config("accounts"), app_config=apps.get_app_config("accounts"), verbosity=0, using="default")
    assert User.objects.get(username="citizen").check_password(settings.DEMO_PASSWORD)
    settings.DEMO_MODE = False
    post_migrate.send(sender=apps.get_app_config("accounts"), app_config=apps.get_app_config("accounts"), verbosity=0, using="default")
    assert not User.objects.get(username="citizen").has_usable_password()


@pytest.mark.django_db
def test_seed_demo_refuses_with_a_clear_message_when_demo_mode_is_off(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="CITYENFORCE_DEMO"):
        call_command("seed_demo", stdout=io.StringIO())
