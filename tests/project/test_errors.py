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
