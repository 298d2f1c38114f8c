"""The field client's Django side: the shell needs an officer (five callers), the manifest and the service worker
are what a browser installs (types, scope header, a version that follows the files)."""
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from apps.accounts.models import Role, User
from apps.gbcp.models import Organization
from cityenforce import field
from tests.personas import five_callers, user_with

SQUAD = "东华门街道综合行政执法队"


@pytest.fixture
def callers(db):
    return five_callers(role=Role.OFFICER, organization=Organization.objects.get(name=SQUAD))


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _config(response):
    match = re.search(r'<script id="field-config" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


@pytest.mark.django_db
def test_the_shell_opens_for_officers_and_refuses_everyone_else(callers):
    answers = {name: _client(user).get("/field/") for name, user in callers.items()}
    assert answers["insider"].status_code == 200
    assert answers["outsider"].status_code == 200  # his own client: his tasks come from the API, scoped to him
    assert answers["citizen"].status_code == 403
    assert answers["merchant"].status_code == 403
    assert answers["anonymous"].status_code == 302 and answers["anonymous"]["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_staff_who_are_not_officers_are_refused(db):
    assert _client(User.objects.get(username="dc_dispatcher")).get("/field/").status_code == 403


@pytest.mark.django_db
def test_the_shell_is_chinese_links_manifest_and_versioned_script_and_is_not_cached(callers):
    response = _client(callers.insider).get("/field/")
    html = response.content.decode()
    assert 'lang="zh-hans"' in html and "我的任务" in html
    assert 'rel="manifest" href="/field/manifest.webmanifest"' in html
    assert f"/static/field/field.js?v={field.version()}" in html
    assert "no-cache" in response["Cache-Control"] and "csrftoken" in response.cookies
    config = _config(response)
    assert config["user"] == callers.insider.pk and config["statuses"]["dispatched"] != "dispatched"  # labels, not codes
    assert config["text"]["queued"] == "待发送"


@pytest.mark.django_db
def test_the_second_officers_offered_are_of_the_officers_own_area(callers):
    colleague = user_with(role=Role.OFFICER, organization=Organization.objects.get(name=SQUAD), name="colleague")
    inside = [pk for pk, _name in _config(_client(callers.insider).get("/field/"))["colleagues"]]
    outside = [pk for pk, _name in _config(_client(callers.outsider).get("/field/"))["colleagues"]]
    assert colleague.pk in inside and colleague.pk not in outside
    assert callers.insider.pk not in inside  # not himself


@pytest.mark.django_db
def test_the_manifest_makes_an_installable_standalone_app_under_field(client):
    response = client.get("/field/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "城管执法 · 外勤"
    assert manifest["start_url"] == manifest["scope"] == "/field/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:  # versioned static files, each a PNG of the size it claims
        assert icon["src"].startswith("/static/field/icon-") and icon["src"].endswith(f"?v={field.version()}")
        with Image.open(finders.find(icon["src"].split("?")[0].removeprefix("/static/"))) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"


@pytest.mark.django_db
def test_the_service_worker_is_javascript_scoped_to_field_never_cached_and_carries_the_version(client):
    response = client.get("/field/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/field/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert f'const VERSION = "{field.version()}"' in body
    assert f"/static/field/field.js?v={field.version()}" in body and '"/field/"' in body


def test_the_version_changes_with_the_files(monkeypatch, tmp_path):
    version = field.version()
    changed = tmp_path / "field.js"
    changed.write_text("// another deploy")
    real_find = field.finders.find
    monkeypatch.setattr(field.finders, "find", lambda name: str(changed) if name == "field/field.js" else real_find(name))
    field.version.cache_clear()
    try:
        assert field.version() != version
    finally:
        field.version.cache_clear()
