"""门前三包 考核: a zone assessed once a month duty by duty, and the grade counting for the responsible business's credit."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.credit.models import CreditRecord
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization
from apps.ledger import services
from apps.ledger.models import FrontageAssessment, FrontageZone
from tests.personas import five_callers

pytestmark = pytest.mark.django_db

PASSED, FAILED = FrontageAssessment.Outcome.PASSED, FrontageAssessment.Outcome.FAILED


@pytest.fixture
def zone(dongcheng_restaurant):
    return FrontageZone.objects.create(code="T-FA-1", place=dongcheng_restaurant, duties=["appearance", "sanitation", "order"],
                                       region_code=dongcheng_restaurant.region.code)


@pytest.fixture
def officer(dongcheng_officer):
    return dongcheng_officer


def _month():
    return timezone.localdate().strftime("%Y-%m")


def _records(zone):
    refs = [f"ledger.FrontageAssessment:{pk}" for pk in FrontageAssessment.objects.filter(zone=zone).values_list("pk", flat=True)]
    return CreditRecord.objects.filter(kind="frontage_performance", source_ref__in=refs)


def test_the_grade_follows_the_duties_not_met():
    assert services.grade_for({"a": PASSED, "b": PASSED}) == "good"
    assert services.grade_for({"a": FAILED, "b": PASSED}) == "fair"
    assert services.grade_for({"a": FAILED, "b": FAILED, "c": PASSED}) == "poor"


def test_a_zone_naming_no_duty_carries_all_four(zone):
    zone.duties = []
    assert services.zone_duties(zone) == ["appearance", "sanitation", "order", "greenery"]
    zone.duties = ["order", "nonsense"]
    assert services.zone_duties(zone) == ["order"]


def test_a_poor_month_counts_against_the_operator_once(zone, officer):
    results = {"appearance": FAILED, "sanitation": FAILED, "order": PASSED}
    assessment = services.frontage_assess(user=officer, zone=zone, period=_month(), results=results, note="门前堆物")
    assert (assessment.grade, assessment.entity_id, assessment.period.day) == ("poor", zone.place.operator_id, 1)
    record = _records(zone).get()
    assert (record.weight, record.rule, record.source_ref) == (-2, "frontage_poor", f"ledger.FrontageAssessment:{assessment.pk}")
    assert "市容" in record.reason and "环境卫生" in record.reason and "秩序" not in record.reason
    with pytest.raises(ApplicationError) as again:
        services.frontage_assess(user=officer, zone=zone, period=_month(), results={d: PASSED for d in results})
    assert (again.value.status_code, again.value.code) == (409, "already_assessed")
    assert _records(zone).count() == 1 and FrontageAssessment.objects.filter(zone=zone).count() == 1


def test_a_good_month_earns_a_point_and_a_zone_without_a_business_records_no_credit(zone, officer):
    services.frontage_assess(user=officer, zone=zone, period=_month(), results={d: PASSED for d in zone.duties})
    assert list(_records(zone).values_list("weight", flat=True)) == [1]
    zone.place.operator = None
    zone.place.save(update_fields=["operator"])
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    nobody = services.frontage_assess(user=officer, zone=zone, period=last_month, results={d: FAILED for d in zone.duties})
    assert nobody.entity_id is None and not CreditRecord.objects.filter(source_ref=f"ledger.FrontageAssessment:{nobody.pk}").exists()


@pytest.mark.parametrize("results, period, code", [
    ({"appearance": "passed", "sanitation": "passed"}, None, "invalid_results"),  # a duty left out
    ({"appearance": "passed", "sanitation": "passed", "order": "passed", "greenery": "passed"}, None, "invalid_results"),  # not the zone's
    ({"appearance": "maybe", "sanitation": "passed", "order": "passed"}, None, "invalid_results"),
    ({"appearance": "passed", "sanitation": "passed", "order": "passed"}, "next", "future_period"),
    ({"appearance": "passed", "sanitation": "passed", "order": "passed"}, "2026-13", "invalid_period"),
])
def test_bad_answers_are_refused_and_nothing_is_kept(zone, officer, results, period, code):
    if period == "next":
        period = (timezone.localdate().replace(day=28) + dt.timedelta(days=7)).strftime("%Y-%m")
    with pytest.raises(ApplicationError) as refused:
        services.frontage_assess(user=officer, zone=zone, period=period or _month(), results=results)
    assert (refused.value.status_code, refused.value.code) == (400, code)
    assert not FrontageAssessment.objects.filter(zone=zone).exists() and not _records(zone).exists()


def test_a_dispatcher_may_read_but_not_assess(zone):
    with pytest.raises(Exception) as refused:
        services.frontage_assess(user=User.objects.get(username="dc_dispatcher"), zone=zone, period=_month(),
                                 results={d: PASSED for d in zone.duties})
    assert getattr(refused.value, "status_code", 403) == 403
    assert not FrontageAssessment.objects.filter(zone=zone).exists()


def test_five_callers_on_the_api(zone, api_as):
    squad = Organization.objects.get(memberships__user__username="dhm_officer1", memberships__role=Role.OFFICER)
    callers = five_callers(role=Role.OFFICER, organization=squad)
    url, missing = (reverse("api-ledger-zone-assessments", kwargs={"pk": pk}) for pk in (zone.pk, 987654321))
    body = {"period": _month(), "results": {d: PASSED for d in zone.duties}}
    for name, user in callers.others():
        theirs, nothing = api_as(user).post(url, body, format="json"), api_as(user).post(missing, body, format="json")
        assert (theirs.status_code, theirs.json()) == (nothing.status_code, nothing.json()), name
        assert theirs.status_code == (401 if user is None else 404), name
        assert api_as(user).get(url).status_code == (401 if user is None else 404), name
    assert not FrontageAssessment.objects.filter(zone=zone).exists()
    made = api_as(callers.insider).post(url, body, format="json")
    assert made.status_code == 201 and made.json()["grade"] == "good" and made.json()["period"] == _month()
    listed = api_as(callers.insider).get(url).json()
    assert [row["id"] for row in listed["results"]] == [made.json()["id"]]
    again = api_as(callers.insider).post(url, body, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_assessed"
    wrong = api_as(callers.insider).post(url, {"period": "2026-1", "results": {}}, format="json")
    assert wrong.status_code == 400


def test_five_callers_on_the_pages(zone, client):
    squad = Organization.objects.get(memberships__user__username="dhm_officer1", memberships__role=Role.OFFICER)
    callers = five_callers(role=Role.OFFICER, organization=squad)
    page, form = reverse("ledger-frontage"), reverse("ledger-frontage-assess", kwargs={"pk": zone.pk})
    client.force_login(callers.insider)
    listed = client.get(page, {"assessed": "0"})
    assert listed.status_code == 200 and zone.code in listed.content.decode()
    post = {"period": _month(), "note": "", **{f"duty_{d}": PASSED for d in zone.duties}, "duty_order": FAILED}
    assert client.post(form, post).status_code == 302
    assert FrontageAssessment.objects.get(zone=zone).grade == "fair"
    assert zone.code not in client.get(page, {"assessed": "0"}).content.decode()
    shown = client.get(form).content.decode()
    assert "合格" in shown or "fair" in shown
    client.logout()
    client.force_login(callers.outsider)
    assert client.get(form).status_code == 404 and zone.code not in client.get(page).content.decode()
    for name in ("citizen", "merchant"):
        client.force_login(getattr(callers, name))
        assert client.get(form).status_code in (403, 404), name
        assert client.get(page).status_code in (302, 403), name
    client.logout()
    assert client.get(form).status_code == 302 and client.get(page).status_code == 302


def test_the_demo_assessed_last_month_and_credit_followed_each_business():
    demo = FrontageAssessment.objects.filter(note__startswith="演示数据")
    assert demo.exists() and {a.period.day for a in demo} == {1}
    with_business = [a for a in demo if a.entity_id]
    assert with_business
    refs = {f"ledger.FrontageAssessment:{a.pk}" for a in with_business}
    assert set(CreditRecord.objects.filter(source_ref__in=refs).values_list("source_ref", flat=True)) == refs
