"""Not yours looks like not there: every key a caller sends to the case pages and API (a case, a document, a place,
an officer) resolves within what the caller may see, so one of another district answers exactly like a missing one."""
import pytest

from apps.accounts.models import Role
from apps.cases import forms, services
from apps.cases.models import CaseDocument
from apps.gbcp import services as gbcp_services
from apps.gbcp.models import Place, Region
from tests.personas import five_callers

from .conftest import PERSON_ID, USCC

MISSING = 2**31 - 7


def answer(response, missing_pk, real_pk):
    """Status, error code and message of a response, with the key it names written as the missing one."""
    body = response.json() if response.status_code != 401 else {}
    text = str(body.get("error", {}).get("details", "")) + str(body.get("error", {}).get("code", ""))
    return response.status_code, text.replace(str(real_pk), str(missing_pk))


def assert_not_there(client, url, body, field, real_pk):
    seen = client.post(url, {**body, field: real_pk}, format="json")
    missing = client.post(url, {**body, field: MISSING}, format="json")
    assert answer(seen, MISSING, real_pk) == answer(missing, MISSING, real_pk)
    assert seen.status_code in (400, 401, 404), seen.content
    if seen.status_code == 400:
        assert field in seen.json()["error"]["details"]


@pytest.fixture
def squad(opened):
    return opened.organization


def _place(name, point):
    return gbcp_services.place_create(user=None, name=name, kind=Place.Kind.SHOP, space=Place.Space.PUBLIC, point=point)


@pytest.fixture
def dhm_place(dhm_point):
    """A place of the 东华门 squad's street."""
    return _place("东华门测试摊点", dhm_point)


@pytest.fixture
def other_place(db):
    """A place in 海淀区 (110108), another district."""
    return _place("海淀测试摊点", Region.objects.get(code="110108").boundary.point_on_surface)


@pytest.mark.django_db
def test_a_place_of_another_district_is_not_there_for_opening_a_case(api_as, squad, dhm_place, vendor_cause):
    callers = five_callers(role=Role.OFFICER, organization=squad)
    body = {"source": "patrol", "cause": vendor_cause.code, "facts": "占道经营"}
    created = api_as(callers.insider).post("/api/cases/open/", {**body, "place": dhm_place.pk}, format="json")
    assert created.status_code == 201, created.content
    for name, user in callers.others():
        assert_not_there(api_as(user), "/api/cases/open/", body, "place", dhm_place.pk)


@pytest.mark.django_db
def test_the_insider_cannot_reach_a_place_of_another_district_either(api_as, officer1, other_place, vendor_cause):
    body = {"source": "patrol", "cause": vendor_cause.code, "facts": "越界"}
    assert_not_there(api_as(officer1), "/api/cases/open/", body, "place", other_place.pk)


@pytest.mark.django_db
def test_a_co_officer_of_another_district_is_not_there_on_the_spot(api_as, squad, officer2, vendor_cause):
    callers = five_callers(role=Role.OFFICER, organization=squad)
    body = {"party_kind": "organisation", "party_name": "某公司", "party_code": USCC, "cause": vendor_cause.code, "amount": "100", "facts": "占道"}
    decided = api_as(callers.insider).post("/api/cases/onsite/", {**body, "co_officer": officer2.pk}, format="json")
    assert decided.status_code == 201, decided.content
    for name, user in callers.others():
        assert_not_there(api_as(user), "/api/cases/onsite/", body, "co_officer", officer2.pk)


@pytest.mark.django_db
def test_an_officer_of_another_district_is_not_there_to_be_assigned(api_as, opened, officer1, officer2, zgc_officer):
    client = api_as(officer1)
    url = f"/api/cases/{opened.pk}/officers/"
    refused = client.post(url, {"officers": [zgc_officer.pk]}, format="json")
    missing = client.post(url, {"officers": [MISSING]}, format="json")
    assert answer(refused, MISSING, zgc_officer.pk) == answer(missing, MISSING, zgc_officer.pk)
    assert refused.status_code == 400 and "officers" in refused.json()["error"]["details"]
    assert client.post(url, {"officers": [officer2.pk]}, format="json").status_code == 200


@pytest.mark.django_db
def test_a_case_and_its_documents_are_not_there_for_anyone_outside(api_as, client, opened, squad_leader):
    services.case_file_approve(user=squad_leader, case=opened)
    document = CaseDocument.objects.get(case=opened)
    callers = five_callers(role=Role.SQUAD_LEADER, organization=opened.organization)
    api_urls = ["/api/cases/{}/", "/api/cases/{}/file/"]
    page_urls = ["/cases/{}/", "/cases/{}/file/"]
    for name, user in callers.items():
        api = api_as(user)
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in api_urls:
            get = api.post if url.endswith("file/") else api.get
            real, missing = get(url.format(opened.pk)), get(url.format(MISSING))
            if name == "insider":
                assert real.status_code in (200, 409), (name, url, real.status_code)
            else:
                assert real.status_code == missing.status_code and real.status_code in (401, 404), (name, url, real.status_code)
        for url in page_urls:
            get = client.post if url.endswith("file/") else client.get
            real, missing = get(url.format(opened.pk)), get(url.format(MISSING))
            if name == "insider":
                assert real.status_code in (200, 302), (name, url)
            else:
                assert real.status_code == missing.status_code, (name, url, real.status_code, missing.status_code)
        real = client.get(f"/cases/documents/{document.pk}/download/")
        missing = client.get(f"/cases/documents/{MISSING}/download/")
        assert (real.status_code == 200) if name == "insider" else (real.status_code == missing.status_code), (name, real.status_code)


@pytest.mark.django_db
def test_the_case_page_forms_offer_only_the_staff_the_user_may_see(opened, squad, officer1, officer2, zgc_officer):
    callers = five_callers(role=Role.OFFICER, organization=squad)
    assert officer2 in forms.OfficersForm(case=opened, user=callers.insider).fields["officers"].queryset
    assert officer2 in forms.OnsiteForm(user=callers.insider).fields["co_officer"].queryset
    for name, user in callers.others():
        officers = forms.OfficersForm({"officers": [officer2.pk]}, case=opened, user=user)
        missing = forms.OfficersForm({"officers": [MISSING]}, case=opened, user=user)
        assert not officers.is_valid() and not missing.is_valid(), name
        assert str(officers.errors).replace(str(officer2.pk), str(MISSING)) == str(missing.errors), name
    onsite = {"cause": "", "party_kind": "citizen", "party_name": "张三", "party_code": PERSON_ID, "facts": "占道"}
    other = forms.OnsiteForm({**onsite, "co_officer": zgc_officer.pk}, user=officer1)
    missing = forms.OnsiteForm({**onsite, "co_officer": MISSING}, user=officer1)
    assert not other.is_valid() and other.errors["co_officer"] == missing.errors["co_officer"]
