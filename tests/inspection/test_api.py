"""The inspection API: every endpoint with an insider, an outsider from another district and an anonymous caller."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.inspection import services
from apps.inspection.models import Draw, InspectionRecord

KINDS = ["restaurant", "shop", "market"]


@pytest.fixture
def draw(insider):
    return services.draw_create(user=insider, region_code="110101", place_kinds=KINDS, place_count=2, title="API 抽查")


@pytest.fixture
def plan(insider):
    return services.plan_create(user=insider, name="API 计划", region_code="110101", place_kinds=KINDS, interval_days=14,
                                starts_on=timezone.localdate())


@pytest.mark.django_db
def test_a_district_dispatcher_makes_a_draw_and_an_outsider_or_anonymous_cannot(api, api_as, insider, outsider):
    body = {"region_code": "110101", "place_kinds": KINDS, "place_count": 2, "title": "双随机"}
    made = api_as(insider).post("/api/inspection/draws/", body, format="json")
    assert made.status_code == 201 and len(made.json()["result"]) == 2
    assert api_as(outsider).post("/api/inspection/draws/", body, format="json").status_code == 404
    assert api.post("/api/inspection/draws/", body, format="json").status_code == 401
    refused = api_as(insider).post("/api/inspection/draws/", {**body, "place_kinds": ["spaceport"]}, format="json")
    assert refused.status_code == 400


@pytest.mark.django_db
def test_draw_list_detail_replay_and_publish_by_jurisdiction(api, api_as, insider, outsider, draw):
    client = api_as(insider)
    assert draw.pk in [d["id"] for d in client.get("/api/inspection/draws/").json()["results"]]
    assert draw.pk not in [d["id"] for d in api_as(outsider).get("/api/inspection/draws/").json()["results"]]
    assert client.get(f"/api/inspection/draws/{draw.pk}/replay/").json() == {"match": True}
    for path in (f"/api/inspection/draws/{draw.pk}/", f"/api/inspection/draws/{draw.pk}/replay/"):
        assert client.get(path).status_code == 200
        assert api_as(outsider).get(path).status_code == 404
        assert api.get(path).status_code == 401
    assert api_as(outsider).post(f"/api/inspection/draws/{draw.pk}/publish/").status_code == 404
    assert api.post(f"/api/inspection/draws/{draw.pk}/publish/").status_code == 401
    assert client.post(f"/api/inspection/draws/{draw.pk}/publish/").json()["is_published"] is True


@pytest.mark.django_db
def test_the_replay_endpoint_reports_a_tampered_result(api_as, insider, draw):
    Draw.objects.filter(pk=draw.pk).update(result=list(reversed(draw.result)))
    body = api_as(insider).get(f"/api/inspection/draws/{draw.pk}/replay/").json()
    assert body["match"] is False and body["differences"]


@pytest.mark.django_db
def test_an_officer_records_an_inspection_by_city_code_and_outsiders_cannot(api, api_as, officer1, officer2, zgc_officer, outsider, dhm_place,
                                                                            answers_for):
    body = {"city_code": dhm_place.city_code, "co_officer": officer2.pk, "answers": answers_for(dhm_place, failed=(0,)),
            "lat": dhm_place.point.y, "lon": dhm_place.point.x}
    made = api_as(officer1).post("/api/inspection/records/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["passed"] is False and len(made.json()["findings"]) == 1
    # Another district's officer can name neither the co-officer nor the place: 400 and 404, as if they did not exist.
    assert api_as(zgc_officer).post("/api/inspection/records/", body, format="json").status_code == 400
    assert api_as(zgc_officer).post("/api/inspection/records/", {**body, "co_officer": outsider.pk}, format="json").status_code == 404
    assert api.post("/api/inspection/records/", body, format="json").status_code == 401
    alone = api_as(officer1).post("/api/inspection/records/", {**body, "co_officer": None}, format="json")
    assert alone.status_code == 400 and alone.json()["error"]["code"] == "two_officers_required"


@pytest.mark.django_db
def test_an_inspection_can_come_as_multipart_with_photos_identified_by_the_nearest_place(api_as, officer1, officer2, dhm_place, answers_for):
    import io
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(jpeg, format="JPEG")
    made = api_as(officer1).post("/api/inspection/records/", {
        "lat": dhm_place.point.y, "lon": dhm_place.point.x + 0.00005, "use_point_to_identify": "true", "co_officer": officer2.pk,
        "answers": json.dumps(answers_for(dhm_place)), "photos": [SimpleUploadedFile("a.jpg", jpeg.getvalue(), content_type="image/jpeg")],
    }, format="multipart")
    assert made.status_code == 201, made.content
    record = InspectionRecord.objects.get(pk=made.json()["id"])
    assert record.identified_by == "point" and record.place == dhm_place
    from apps.evidence.selectors import evidence_for_subject

    assert evidence_for_subject(subject=record).count() == 1


@pytest.mark.django_db
def test_record_list_and_detail_by_jurisdiction(api, api_as, insider, outsider, record_with_finding, django_assert_max_num_queries):
    client = api_as(insider)
    with django_assert_max_num_queries(6):
        listed = client.get("/api/inspection/records/?page_size=50").json()
    assert record_with_finding.pk in [r["id"] for r in listed["results"]]
    assert record_with_finding.pk not in [r["id"] for r in api_as(outsider).get("/api/inspection/records/").json()["results"]]
    path = f"/api/inspection/records/{record_with_finding.pk}/"
    assert client.get(path).status_code == 200 and api_as(outsider).get(path).status_code == 404 and api.get(path).status_code == 401
    assert api.get("/api/inspection/records/").status_code == 401


@pytest.mark.django_db
def test_a_finding_goes_to_a_task_once_through_the_api(api, api_as, officer1, outsider, record_with_finding):
    finding = record_with_finding.findings.get()
    assert api_as(outsider).post(f"/api/inspection/findings/{finding.pk}/to-task/").status_code == 404
    assert api.post(f"/api/inspection/findings/{finding.pk}/to-task/").status_code == 401
    done = api_as(officer1).post(f"/api/inspection/findings/{finding.pk}/to-task/")
    assert done.status_code == 200 and done.json()["task"]
    assert api_as(officer1).post(f"/api/inspection/findings/{finding.pk}/to-task/").status_code == 409
    assert api_as(officer1).post(f"/api/inspection/findings/{finding.pk}/to-case/").status_code == 409
    assert api_as(outsider).post(f"/api/inspection/findings/{finding.pk}/to-case/").status_code == 404
    assert api.post(f"/api/inspection/findings/{finding.pk}/to-case/").status_code == 401


@pytest.mark.django_db
def test_finding_list_by_jurisdiction(api, api_as, insider, outsider, record_with_finding):
    finding = record_with_finding.findings.get()
    assert finding.pk in [f["id"] for f in api_as(insider).get("/api/inspection/findings/?open=1").json()["results"]]
    assert finding.pk not in [f["id"] for f in api_as(outsider).get("/api/inspection/findings/").json()["results"]]
    assert api.get("/api/inspection/findings/").status_code == 401


@pytest.mark.django_db
def test_a_merchant_self_checks_its_own_place_and_not_anothers(api, api_as, merchant, outsider, insider, dhm_place, haidian_place, answers_for):
    made = api_as(merchant).post("/api/inspection/self-checks/", {"place": dhm_place.pk, "answers": answers_for(dhm_place)}, format="json")
    assert made.status_code == 201 and made.json()["passed"] is True
    other = api_as(merchant).post("/api/inspection/self-checks/", {"place": haidian_place.pk, "answers": [{"item": 1, "outcome": "passed"}]}, format="json")
    assert other.status_code == 400 and list(other.json()["error"]["details"]) == ["place"]  # as if it did not exist
    assert api_as(outsider).post("/api/inspection/self-checks/", {"place": dhm_place.pk, "answers": answers_for(dhm_place)}, format="json").status_code == 400
    assert api_as(insider).post("/api/inspection/self-checks/", {"place": dhm_place.pk, "answers": answers_for(dhm_place)}, format="json").status_code == 403
    assert api.post("/api/inspection/self-checks/", {"place": dhm_place.pk, "answers": answers_for(dhm_place)}, format="json").status_code == 401
    assert made.json()["id"] in [c["id"] for c in api_as(merchant).get("/api/inspection/self-checks/").json()["results"]]
    assert made.json()["id"] in [c["id"] for c in api_as(insider).get("/api/inspection/self-checks/").json()["results"]]
    assert made.json()["id"] not in [c["id"] for c in api_as(outsider).get("/api/inspection/self-checks/").json()["results"]]


@pytest.mark.django_db
def test_plans_are_created_listed_and_generated_by_jurisdiction(api, api_as, insider, outsider, plan):
    body = {"name": "新计划", "region_code": "110101", "place_kinds": ["shop"], "interval_days": 7}
    assert api_as(insider).post("/api/inspection/plans/", body, format="json").status_code == 201
    assert api_as(outsider).post("/api/inspection/plans/", body, format="json").status_code == 404
    assert api.post("/api/inspection/plans/", body, format="json").status_code == 401
    assert plan.pk in [p["id"] for p in api_as(insider).get("/api/inspection/plans/").json()["results"]]
    assert plan.pk not in [p["id"] for p in api_as(outsider).get("/api/inspection/plans/").json()["results"]]
    until = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    assert api_as(outsider).post(f"/api/inspection/plans/{plan.pk}/generate/", {"until": until}, format="json").status_code == 404
    assert api.post(f"/api/inspection/plans/{plan.pk}/generate/", {"until": until}, format="json").status_code == 401
    generated = api_as(insider).post(f"/api/inspection/plans/{plan.pk}/generate/", {"until": until}, format="json")
    assert generated.status_code == 200 and generated.json()["created"] > 0


@pytest.mark.django_db
def test_an_officer_starts_a_patrol_and_others_cannot(api, api_as, officer1, insider):
    assert api_as(officer1).post("/api/inspection/plans/patrol/", {}, format="json").status_code == 201
    assert api_as(insider).post("/api/inspection/plans/patrol/", {}, format="json").status_code == 403
    assert api.post("/api/inspection/plans/patrol/", {}, format="json").status_code == 401


@pytest.mark.django_db
def test_assignments_list_by_jurisdiction(api, api_as, insider, outsider, officer1, plan):
    services.plan_generate_assignments(user=insider, plan=plan, until=timezone.localdate())
    mine = api_as(insider).get("/api/inspection/assignments/?status=open").json()["results"]
    assert mine and all(a["plan"] == plan.pk or a["status"] == "open" for a in mine)
    assert not [a for a in api_as(outsider).get("/api/inspection/assignments/").json()["results"] if a["plan"] == plan.pk]
    assert api.get("/api/inspection/assignments/").status_code == 401


@pytest.mark.django_db
def test_checklists_and_a_places_checklist(api, api_as, officer1, outsider, merchant, dhm_place, haidian_place):
    assert {c["place_kind"] for c in api_as(officer1).get("/api/inspection/checklists/").json()["results"]} >= {"restaurant", "shop"}
    assert api.get("/api/inspection/checklists/").status_code == 401
    path = f"/api/inspection/places/{dhm_place.pk}/checklist/"
    assert api_as(officer1).get(path).json()["place_kind"] == "restaurant"
    assert api_as(merchant).get(path).json()["place_kind"] == "restaurant"
    assert api_as(outsider).get(path).status_code == 404
    assert api_as(merchant).get(f"/api/inspection/places/{haidian_place.pk}/checklist/").status_code == 404
    assert api.get(path).status_code == 401


@pytest.mark.django_db
def test_assignment_and_draw_lists_do_not_grow_queries(api_as, insider, plan, draw, django_assert_max_num_queries):
    services.plan_generate_assignments(user=insider, plan=plan, until=timezone.localdate() + dt.timedelta(days=40))
    client = api_as(insider)
    with django_assert_max_num_queries(5):
        assert client.get("/api/inspection/assignments/?page_size=100").json()["count"] >= 3
    with django_assert_max_num_queries(5):
        assert client.get("/api/inspection/draws/").json()["count"] >= 1
