"""Open311 GeoReport v2 in XML, the format the specification requires, shaped as its example documents; the charset
every format must name; the discovery changeset; dates as clients really send them; what clients say of their users."""
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from apps.dispatch.models import Open311Contact, Task
from tests.dispatch.test_api_open311 import API_KEY, BASE, DESCRIPTION, REPORTER, create, form_post, key_partner, service  # noqa: F401 (fixtures)

# The element paths of the specification's example documents (GeoReport v2 and Service Discovery).
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
    "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
    "lat", "long", "media_url",
]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description", "order", "description"]


def xml_of(response, status=200):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


@pytest.mark.django_db
def test_discovery_in_both_formats_names_its_changeset_and_formats(api):
    root = xml_of(api.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert [child.tag for child in endpoint] == ["specification", "url", "changeset", "type", "formats"]
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert endpoint.findtext("changeset") and root.findtext("changeset")
    as_json = api.get(BASE + "discovery.json")
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert as_json.json()["endpoints"][0]["changeset"] == endpoint.findtext("changeset")


@pytest.mark.django_db
def test_services_and_a_definition_in_xml_say_what_the_json_says(api, service):
    root = xml_of(api.get(BASE + "services.xml"))
    assert root.tag == "services"
    rows = root.findall("service")
    as_json = api.get(BASE + "services.json").json()
    assert len(rows) == len(as_json) > 0
    mine = next(row for row in rows if row.findtext("service_code") == service.code)
    assert [child.tag for child in mine] == SERVICE_FIELDS
    assert mine.findtext("service_name") == service.name and mine.findtext("metadata") == "true"

    definition = xml_of(api.get(f"{BASE}services/{service.code}.xml"))
    assert definition.tag == "service_definition" and definition.findtext("service_code") == service.code
    attributes = definition.findall("attributes/attribute")
    assert {a.findtext("code") for a in attributes} >= {"severity", "landmark"}
    for attribute in attributes:
        assert [child.tag for child in attribute][: len(ATTRIBUTE_FIELDS)] == ATTRIBUTE_FIELDS
        assert attribute.findtext("variable") == "true" and attribute.findtext("required") == "false"
    severity = next(a for a in attributes if a.findtext("code") == "severity")
    assert [v.findtext("key") for v in severity.findall("values/value")] == ["minor", "normal", "serious", "urgent"]


@pytest.mark.django_db
def test_post_get_and_token_in_xml(api, key_partner, service, dhm_point):
    data = {"api_key": API_KEY, "service_code": service.code, "lat": dhm_point.y, "long": dhm_point.x, "description": DESCRIPTION,
            "account_id": "acct-42", **REPORTER}
    answer = xml_of(api.post(BASE + "requests.xml", data=urlencode(data), content_type="application/x-www-form-urlencoded"))
    assert answer.tag == "service_requests"
    request = answer.find("request")
    assert [child.tag for child in request] == ["service_request_id", "service_notice", "account_id"]
    number = request.findtext("service_request_id")
    assert request.findtext("account_id") == "acct-42"

    one = xml_of(api.get(f"{BASE}requests/{number}.xml")).find("request")
    assert [child.tag for child in one][: len(REQUEST_FIELDS)] == REQUEST_FIELDS
    assert one.findtext("service_request_id") == number and one.findtext("status") == "open"
    assert float(one.findtext("lat")) == pytest.approx(dhm_point.y, abs=1e-6)
    assert one.find("zipcode").text is None  # nothing is an empty element, never "None"
    listed = xml_of(api.get(BASE + "requests.xml", {"service_request_id": number}))
    assert [r.findtext("service_request_id") for r in listed.findall("request")] == [number]
    token = xml_of(api.get(f"{BASE}tokens/{number}.xml")).find("request")
    assert [child.tag for child in token] == ["service_request_id", "token"]
    # The public never reads the reporter: neither in XML nor in JSON.
    for body in (api.get(f"{BASE}requests/{number}.xml").content.decode(), api.get(f"{BASE}requests/{number}.json").content.decode()):
        assert REPORTER["phone"] not in body and REPORTER["email"] not in body and "acct-42" not in body


@pytest.mark.django_db
def test_refusals_in_xml_are_errors(api, key_partner, service, dhm_point):
    refused = xml_of(api.post(BASE + "requests.xml", data=urlencode({"api_key": "wrong", "service_code": service.code}),
                              content_type="application/x-www-form-urlencoded"), status=403)
    assert refused.tag == "errors"
    assert [child.tag for child in refused.find("error")] == ["code", "description"] and refused.findtext("error/code") == "403"
    missing = xml_of(api.get(BASE + "services/NOPE99.xml"), status=404)
    assert missing.findtext("error/code") == "404"
    invalid = xml_of(api.post(BASE + "requests.xml", data=urlencode({"api_key": API_KEY, "service_code": service.code}),
                              content_type="application/x-www-form-urlencoded"), status=400)
    assert invalid.findall("error") and all(e.findtext("code") == "400" for e in invalid.findall("error"))


@pytest.mark.django_db
def test_text_that_xml_cannot_carry_is_replaced_not_a_broken_document(api, key_partner, service, dhm_point):
    number = create(api, service, dhm_point, description="路灯不亮\x01\x08 门口")
    one = xml_of(api.get(f"{BASE}requests/{number}.xml")).find("request")
    assert one.findtext("description").startswith("路灯不亮")


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["{day}T00:00:00+08:00", "{day}t00:00:00z", "{day}T00:00:00,0+0800", "{day} 00:00:00+08:00"])
def test_start_date_as_clients_send_it(api, key_partner, service, dhm_point, raw):
    """An unencoded "+" arrives as a space; lower-case letters, a comma fraction and an offset without colon are read too."""
    number = create(api, service, dhm_point)
    day = Task.objects.get(number=number).received_at.date().isoformat()
    # Built by hand, not urlencoded: the "+" reaches the server as a space, as it does from careless clients.
    response = api.get(f"{BASE}requests.json?start_date={raw.format(day=day)}")
    assert response.status_code == 200, response.content
    assert number in [item["service_request_id"] for item in response.json()]


@pytest.mark.django_db
def test_what_the_client_says_of_its_user_is_kept_and_media_url_is_shown(api, key_partner, service, dhm_point):
    number = create(api, service, dhm_point, media_url="https://img.example.com/p/1.jpg", device_id="dev-7", account_id="acct-9",
                    address_string="东华门大街 1 号", address_id="A-100")
    contact = Open311Contact.objects.get(task__number=number)
    assert (contact.email, contact.first_name, contact.last_name, contact.phone) == (REPORTER["email"], REPORTER["first_name"], REPORTER["last_name"], REPORTER["phone"])
    assert (contact.media_url, contact.device_id, contact.account_id, contact.address_string, contact.address_id) == (
        "https://img.example.com/p/1.jpg", "dev-7", "acct-9", "东华门大街 1 号", "A-100")
    assert api.get(f"{BASE}requests/{number}.json").json()[0]["media_url"] == "https://img.example.com/p/1.jpg"


@pytest.mark.django_db
@pytest.mark.parametrize("media_url", ["javascript:alert(1)", "ftp://example.com/a.jpg", "https://" + "a" * 600 + ".com/"])
def test_a_media_url_that_is_not_a_web_address_is_refused(api, key_partner, service, dhm_point, media_url):
    data = {"api_key": API_KEY, "service_code": service.code, "lat": dhm_point.y, "long": dhm_point.x, "media_url": media_url}
    response = form_post(api, data)
    assert response.status_code == 400 and "media_url" in response.json()[0]["description"]
    assert not Open311Contact.objects.filter(media_url=media_url).exists()


@pytest.mark.django_db
def test_staff_see_what_the_client_sent_masked_by_clearance_and_outsiders_see_nothing(api, api_as, key_partner, service, dhm_point, personas):
    from apps.accounts.models import User

    number = create(api, service, dhm_point, device_id="device-123456", account_id="acct-987654")
    task = Task.objects.get(number=number)
    url = f"/api/dispatch/tasks/{task.pk}/"
    staff = api_as(User.objects.get(username="dc_dispatcher")).get(url).json()["open311_contact"]
    assert staff["email"] == "z***@example.com" and staff["phone"] == "136****6666" and staff["device_id"] == "de*********56"
    full = api_as(User.objects.get(username="dc_legal")).get(url)
    if full.status_code == 200:  # the legal office of the district reads tasks with full clearance
        assert full.json()["open311_contact"]["email"] == REPORTER["email"]
    for caller in (personas["outsider"], personas["citizen"], personas["merchant"], personas["anonymous"]):
        assert api_as(caller).get(url).status_code in (401, 403, 404)
