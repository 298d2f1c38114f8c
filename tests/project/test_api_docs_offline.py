"""The API docs page works with no Internet: Swagger UI, its start-up script and styles all come from our own server
(drf-spectacular-sidecar through the static files), and every one of them answers."""
import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_every_script_and_style_of_the_api_docs_is_ours_and_loads(admin_user):
    client = Client()
    client.force_login(admin_user)
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in u for u in urls) and any("swagger-ui.css" in u for u in urls)
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url  # same origin: no CDN
        response = client.get(url)
        if response.status_code in (301, 302):
            response = client.get(response["Location"])
        assert response.status_code == 200, url
        if response.streaming:
            assert b"".join(response.streaming_content), url
    script = client.get(next(u for u in urls if "script" in u) if any("script" in u for u in urls) else "/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert client.get("/api/schema/").status_code == 200
