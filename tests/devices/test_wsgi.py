"""The devices' WSGI entry point: ingestion paths without the site's middleware, the same answers; the rest untouched."""
import datetime as dt
import io
import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.conf import settings
from django.utils import timezone, translation

from apps.devices.models import Position
from tests.devices.conftest import TOKEN


def call(path, query="", method="GET", body=b"", headers=None):
    from apps.devices import wsgi

    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
        "HTTP_HOST": "testserver", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json" if body else "",
        **(headers or {}),
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(response_headers)

    # As Django's test client does: the test's transaction must survive the request signals.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        answer["body"] = b"".join(wsgi.application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer


@pytest.mark.django_db
def test_an_osmand_point_through_the_ingestion_entry_point_is_stored_without_session_or_csrf_cookies(vehicle_device):
    when = int((timezone.now() - dt.timedelta(seconds=30)).timestamp())
    answer = call("/api/devices/osmand/", f"id={vehicle_device.code}&token={TOKEN}&lat=39.91&lon=116.40&timestamp={when}&speed=3")
    assert answer["status"] == 200 and json.loads(answer["body"]) == {"device": vehicle_device.code, "received": 1, "stored": 1}
    assert "Set-Cookie" not in answer["headers"] and "Vary" not in answer["headers"]
    assert Position.objects.filter(device=vehicle_device).count() == 1


@pytest.mark.django_db
def test_errors_keep_the_project_format_and_the_callers_language(vehicle_device):
    body = json.dumps({"device": vehicle_device.code, "points": [{"time": int(timezone.now().timestamp()), "lat": 95, "lon": 116.4}]}).encode()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}", "HTTP_ACCEPT_LANGUAGE": "en"}
    english = call("/api/devices/positions/", method="POST", body=body, headers=headers)
    chinese = call("/api/devices/positions/", method="POST", body=body, headers={"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"})
    assert english["status"] == chinese["status"] == 400
    error = json.loads(english["body"])["error"]
    assert error["code"] == "invalid_payload" and error["details"]["index"] == 0 and error["details"]["field"] == "lat"
    assert error["message"].startswith("The data was refused")
    with translation.override(settings.LANGUAGE_CODE):  # zh-hans by default, whatever the test's language
        prefix = translation.gettext("The data was refused: %(reason)s").split("%(reason)s")[0]
    assert json.loads(chinese["body"])["error"]["message"].startswith(prefix)
    refused = call("/api/devices/positions/", method="POST", body=body, headers={"HTTP_AUTHORIZATION": "Bearer wrong"})
    assert refused["status"] == 401 and json.loads(refused["body"])["error"]["code"] == "invalid_device_token"


@pytest.mark.django_db
def test_other_paths_go_through_the_project_application_with_its_middleware():
    answer = call("/api/devices/")
    assert answer["status"] == 401  # staff API: anonymous refused as usual
    page = call("/devices/map/")
    assert page["status"] == 302 and "login" in page["headers"]["Location"]
