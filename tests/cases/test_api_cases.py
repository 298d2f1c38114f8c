"""The case API: insider, outsider and anonymous on every endpoint; a case driven through HTTP; query counts."""
import io

import pytest

from apps.cases.api.urls import _actions
from apps.cases.models import Status

from .conftest import PERSON_ID, USCC

CASE_ACTIONS = [name for name, _view in _actions]


@pytest.mark.django_db
@pytest.mark.parametrize("action", CASE_ACTIONS)
def test_every_case_action_is_404_for_an_outsider_and_401_for_anonymous(api, api_as, outsider, zgc_officer, opened, action):
    url = f"/api/cases/{opened.pk}/{action}/"
    assert api.post(url, {}, format="json").status_code == 401
    assert api_as(outsider).post(url, {}, format="json").status_code == 404
    assert api_as(zgc_officer).post(url, {}, format="json").status_code == 404


@pytest.mark.django_db
def test_list_and_detail_insider_outsider_anonymous(api, api_as, insider, outsider, officer1, opened):
    assert opened.pk in [c["id"] for c in api_as(insider).get("/api/cases/").json()["results"]]
    mine = api_as(officer1).get("/api/cases/?mine=1&status=pending_filing").json()
    assert opened.pk in [c["id"] for c in mine["results"]] and all(c["status"] == "pending_filing" for c in mine["results"])
    detail = api_as(insider).get(f"/api/cases/{opened.pk}/").json()
    assert detail["number"] == opened.number and detail["logs"][0]["action"] == "open" and detail["proposal"]["reasons"]
    assert opened.pk not in [c["id"] for c in api_as(outsider).get("/api/cases/").json()["results"]]
    assert api_as(outsider).get(f"/api/cases/{opened.pk}/").status_code == 404
    assert api.get("/api/cases/").status_code == 401
    assert api.get(f"/api/cases/{opened.pk}/").status_code == 401


@pytest.mark.django_db
def test_a_case_is_opened_filed_and_investigated_over_http(api_as, officer1, officer2, squad_leader, vendor_cause, dhm_point):
    officer = api_as(officer1)
    created = officer.post("/api/cases/open/", {"source": "patrol", "cause": vendor_cause.code, "point": {"lat": dhm_point.y, "lon": dhm_point.x}, "facts": "占道经营",
                                                "discretion_facts": {"harm": "ordinary"}}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    refused = officer.post(f"/api/cases/{pk}/file/")
    assert refused.status_code == 403
    bad_party = officer.post(f"/api/cases/{pk}/update/", {"party_kind": "citizen", "party_name": "张三", "party_code": "110105194912310021"}, format="json")
    assert bad_party.status_code == 400 and bad_party.json()["error"]["code"] == "invalid_resident_id"
    assert officer.post(f"/api/cases/{pk}/update/", {"party_kind": "citizen", "party_name": "张三", "party_code": PERSON_ID}, format="json").status_code == 200
    filed = api_as(squad_leader).post(f"/api/cases/{pk}/file/")
    assert filed.json()["status"] == Status.INVESTIGATING
    assert [d["kind"] for d in filed.json()["documents"]] == ["filing_approval"]
    assert officer.post(f"/api/cases/{pk}/officers/", {"officers": [officer2.pk]}, format="json").status_code == 200
    record = officer.post(f"/api/cases/{pk}/records/", {"kind": "inspection", "content": "现场检查"}, format="json")
    assert record.status_code == 200 and record.json()["records"][0]["kind"] == "inspection"
    no_reason = officer.post(f"/api/cases/{pk}/penalty/", {"level": "serious", "fine": "5000"}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["error"]["code"] == "departure_reason_required"
    again = api_as(squad_leader).post(f"/api/cases/{pk}/file/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "illegal_step"


@pytest.mark.django_db
def test_the_on_the_spot_api_refuses_one_cent_over_the_limit(api, api_as, officer1, officer2, outsider, zgc_officer, vendor_cause, dhm_place):
    body = {"co_officer": officer2.pk, "party_kind": "organisation", "party_name": "某公司", "party_code": USCC, "cause": vendor_cause.code,
            "amount": "3000.01", "facts": "占道"}
    over = api_as(officer1).post("/api/cases/onsite/", body, format="json")
    assert over.status_code == 400 and over.json()["error"]["code"] == "simple_limit_exceeded"
    ok = api_as(officer1).post("/api/cases/onsite/", {**body, "amount": "3000"}, format="json")
    assert ok.status_code == 201 and ok.json()["payment"]["amount_due"] == "3000.00"
    # An officer of another district is not there for the outsider; one of its own district is, and the dispatcher may not decide.
    unseen = api_as(outsider).post("/api/cases/onsite/", {**body, "amount": "10"}, format="json")
    assert unseen.status_code == 400 and "co_officer" in unseen.json()["error"]["details"]
    assert api_as(outsider).post("/api/cases/onsite/", {**body, "amount": "10", "co_officer": zgc_officer.pk}, format="json").status_code == 403
    assert api.post("/api/cases/onsite/", body, format="json").status_code == 401


@pytest.mark.django_db
def test_evidence_is_uploaded_to_a_case(api, api_as, officer1, outsider, opened):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "scene.jpg"
    response = api_as(officer1).post(f"/api/cases/{opened.pk}/evidence/", {"files": [buffer], "note": "现场照片"}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["logs"][-1]["action"] == "evidence"
    from apps.evidence.selectors import evidence_for_subject

    assert evidence_for_subject(subject=opened).count() == 1


@pytest.mark.django_db
def test_party_lookup_validates_and_masks(api, api_as, insider, legal, outsider):
    from apps.gbcp.models import Entity

    entity = Entity.objects.order_by("id").first()
    found = api_as(insider).get(f"/api/cases/parties/lookup/?code={entity.uscc}").json()
    assert found["linked"] and found["name"] == entity.name and found["kind"] == "organisation"
    staff = api_as(insider).get(f"/api/cases/parties/lookup/?code={PERSON_ID}").json()
    assert staff["valid"] and staff["code"] != PERSON_ID and staff["code"].endswith(PERSON_ID[-4:])
    assert api_as(legal).get(f"/api/cases/parties/lookup/?code={PERSON_ID}").json()["code"] == PERSON_ID
    bad = api_as(insider).get("/api/cases/parties/lookup/?code=110105194912310021")
    assert bad.status_code == 400
    if entity.city_code:
        assert api_as(outsider).get(f"/api/cases/parties/lookup/?code={entity.city_code}").json()["name"] == entity.name
    assert api.get(f"/api/cases/parties/lookup/?code={PERSON_ID}").status_code == 401


@pytest.mark.django_db
def test_party_lookup_reads_a_city_code_from_a_qr_photo(api_as, insider):
    from apps.gbcp import citycode
    from apps.gbcp.models import Place

    place = Place.objects.filter(operator__isnull=False).select_related("operator").order_by("id").first()
    photo = io.BytesIO(citycode.qr_png(place.city_code))
    photo.name = "qr.png"
    response = api_as(insider).post("/api/cases/parties/lookup/", {"photo": photo}, format="multipart")
    assert response.status_code == 200 and response.json()["name"] == place.operator.name


@pytest.mark.django_db
def test_causes_and_proposal_are_open_to_staff_only(api, api_as, insider, vendor_cause):
    listed = api_as(insider).get("/api/cases/causes/?simple=1").json()
    assert vendor_cause.code in [c["code"] for c in listed["results"]]
    proposal = api_as(insider).post("/api/cases/proposal/", {"cause": vendor_cause.code, "facts": {"harm": "ordinary", "aggravating": ["obstructed"]}}, format="json").json()
    assert proposal["amount"] == "3000.00" or proposal["amount"] == "3000"
    assert api.get("/api/cases/causes/").status_code == 401
    assert api.post("/api/cases/proposal/", {}, format="json").status_code == 401
    assert api_as(insider).post("/api/cases/proposal/", {"cause": "NO-SUCH", "facts": {}}, format="json").status_code == 404


@pytest.mark.django_db
def test_the_queues_show_each_role_its_cases(api_as, legal, leader, investigating, officer1):
    from apps.cases import services

    services.case_set_penalty(user=officer1, case=investigating, level="ordinary", fine=investigating.proposal["amount"])
    services.case_submit_review(user=officer1, case=investigating)
    queue = api_as(legal).get("/api/cases/?queue=legal").json()["results"]
    assert investigating.pk in [c["id"] for c in queue] and {c["status"] for c in queue} == {"legal_review"}
    assert investigating.pk not in [c["id"] for c in api_as(leader).get("/api/cases/?queue=leader").json()["results"]]


@pytest.mark.django_db
def test_the_case_list_does_not_grow_queries_with_its_length(api_as, officer1, vendor_cause, dhm_place, django_assert_max_num_queries):
    from apps.cases import services

    for i in range(5):
        services.case_open(user=officer1, source="patrol", cause=vendor_cause, place=dhm_place, facts=f"第{i}起")
    client = api_as(officer1)
    with django_assert_max_num_queries(5):
        body = client.get("/api/cases/?page_size=50").json()
    assert body["count"] >= 5


@pytest.mark.django_db
def test_the_case_detail_has_a_fixed_number_of_queries(api_as, officer1, investigating, django_assert_max_num_queries):
    client = api_as(officer1)
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/cases/{investigating.pk}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"extension": "x"}, {"extension": 10**30}, {"extension": 0}, [1], "text", {"extension": [1]}])
def test_approving_an_extension_with_a_bad_body_is_a_400_and_changes_nothing(api_as, leader, investigating, body):
    from apps.cases.models import CaseExtension

    response = api_as(leader).post(f"/api/cases/{investigating.pk}/extensions-approve/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid"
    assert not CaseExtension.objects.filter(case=investigating, approved_at__isnull=False).exists()


@pytest.mark.django_db
def test_an_extension_is_approved_over_http_and_an_unknown_one_is_a_404(api_as, officer1, leader, investigating):
    from apps.cases import services

    extension = services.case_extension_request(user=officer1, case=investigating, days=30, reason="案情复杂，需鉴定")
    client = api_as(leader)
    assert client.post(f"/api/cases/{investigating.pk}/extensions-approve/", {"extension": extension.pk + 1000}, format="json").status_code == 404
    response = client.post(f"/api/cases/{investigating.pk}/extensions-approve/", {"extension": extension.pk}, format="json")
    assert response.status_code == 200, response.content
    extension.refresh_from_db()
    assert extension.approved_by == leader


@pytest.mark.django_db
@pytest.mark.parametrize("body", [[1], "text", {"cause": {"a": 1}}, {"cause": "x", "facts": [1]}, {"cause": "x", "facts": {"violation_date": "0001-01-01"}}])
def test_a_proposal_with_a_bad_body_is_a_400(api_as, officer1, body):
    response = api_as(officer1).post("/api/cases/proposal/", body, format="json")
    assert response.status_code == 400, response.content
