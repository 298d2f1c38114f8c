import pytest


@pytest.mark.django_db
def test_an_unknown_api_url_answers_in_the_error_format(api_as, insider):
    response = api_as(insider).get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_errors_speak_the_callers_language(api_as, insider):
    client = api_as(insider)
    zh = client.get("/api/gbcp/locate/?lat=x&lon=1", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    en = client.get("/api/gbcp/locate/?lat=x&lon=1", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["error"]["message"] == "The request is not valid."
    assert zh["error"]["message"] != en["error"]["message"]


@pytest.mark.django_db
def test_the_openapi_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/gbcp/locate/" in schema.content
    assert api.get("/api/docs/").status_code == 200


def test_the_openapi_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().count("/api/") > 10


@pytest.mark.django_db
def test_an_unknown_page_is_the_projects_own_page_in_chinese(client, insider):
    client.force_login(insider)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "Django Material" not in text


def test_the_server_error_page_needs_no_context(rf):
    from cityenforce.errors import server_error

    response = server_error(rf.get("/cases/"))
    assert response.status_code == 500 and "服务器错误" in response.content.decode()
