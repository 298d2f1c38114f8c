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


# --- bad input is a clear 4xx in the error format, never a 500 or an HTML page ---------------------------

@pytest.mark.django_db
def test_deeply_nested_json_is_a_400_even_before_login(api):
    response = api.post("/api/accounts/token/", "[" * 100000, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.django_db
def test_json_nested_past_the_limit_is_refused_and_within_it_is_read(api_as, insider, settings):
    settings.API_JSON_MAX_DEPTH = 8
    client = api_as(insider)
    deep = client.post("/api/cases/proposal/", {"cause": "x", "facts": {"mitigating": [[[[[[[["x"]]]]]]]]}}, format="json")
    assert deep.status_code == 400 and deep.json()["error"]["code"] == "parse_error"
    shallow = client.post("/api/cases/proposal/", {"cause": "no-such-cause"}, format="json")
    assert shallow.status_code == 404  # read, and answered on its merits


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe{", b"NaN", b'{"a": Infinity}'])
def test_broken_json_is_a_400_in_the_error_format(api_as, insider, body):
    response = api_as(insider).post("/api/cases/proposal/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "parse_error"


@pytest.mark.django_db
def test_an_oversized_json_body_is_a_413_in_the_error_format(api, settings):
    settings.API_JSON_MAX_BYTES = 1000
    response = api.post("/api/accounts/token/", {"username": "x" * 2000, "password": "y"}, format="json")
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


@pytest.mark.django_db
def test_an_oversized_form_body_is_a_413_in_the_error_format(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post("/api/accounts/token/", f"username={'x' * 2000}&password=y", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("path, shape", [("/api/cases/", dict), ("/open311/v2/requests.json", list)])
def test_a_body_too_large_for_django_is_json_under_the_machine_paths(rf, path, shape):
    from django.core.exceptions import RequestDataTooBig

    from cityenforce.errors import bad_request

    response = bad_request(rf.post(path), RequestDataTooBig("too big"))
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert isinstance(__import__("json").loads(response.content), shape)


def test_a_bad_request_to_a_page_stays_an_html_page(rf):
    from django.core.exceptions import SuspiciousOperation

    from cityenforce.errors import bad_request

    response = bad_request(rf.get("/report/"), SuspiciousOperation("odd"))
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_an_unknown_open311_path_is_a_404_in_open311_format(api):
    response = api.get("/open311/v2/nothing/here")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


@pytest.mark.django_db
def test_a_page_number_past_the_end_is_a_404_in_the_error_format(api_as, insider):
    response = api_as(insider).get("/api/cases/", {"page": str(10**20)})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_an_oversized_form_body_to_any_api_view_is_a_413(api_as, insider, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(insider).post("/api/cases/proposal/", f"cause={'x' * 2000}", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


@pytest.mark.django_db
def test_an_id_too_large_for_the_database_is_a_400_not_a_500(api_as, insider):
    # Found by schemathesis: SQLite cannot hold the integer, so the query raised OverflowError.
    response = api_as(insider).post("/api/ledger/findings/send-back/", {"findings": [10**30], "department": "x"}, format="json")
    assert response.status_code == 400 and "findings" in response.json()["error"]["details"]


@pytest.mark.django_db
@pytest.mark.parametrize("path, shape", [
    ("/api/gbcp/places/?q=a%00b", dict), ("/open311/v2/requests/CE%00.json", list), ("/api/devices/osmand/?id=%00", dict),
])
def test_a_nul_character_in_the_path_or_query_is_a_400_before_any_query(api_as, insider, path, shape):
    # PostgreSQL refuses NUL in text: without this the query raised and answered 500.
    response = api_as(insider).get(path)
    assert response.status_code == 400 and isinstance(response.json(), shape)


@pytest.mark.django_db
def test_a_nul_character_in_a_page_query_is_a_400_page(client, insider):
    client.force_login(insider)
    response = client.get("/report/?q=%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
