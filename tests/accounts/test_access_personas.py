"""Access is role and jurisdiction, never membership alone (issue 10, findings 2 and 3): the five callers and a superuser
on the task API, the staff task page, the intake queue, the case API, ledger corrections, notifications and the menu."""
import pytest
from django.test import Client

from apps.accounts import services as account_services
from apps.accounts.jurisdiction import staff_organization_ids
from apps.accounts.models import Membership, Role, User
from apps.cases.models import Case
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Source, Task
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization, Region
from apps.ledger.models import FrontageZone
from apps.realtime.models import Notification

pytestmark = pytest.mark.django_db

DONGCHENG_BUREAU = "东城区城市管理综合行政执法局"
DHM_SQUAD = "东华门街道综合行政执法队"


@pytest.fixture
def task(insider):
    point = Region.objects.get(code="110101001").boundary.buffer(-0.004).point_on_surface
    category = Organization.objects.get(name=DHM_SQUAD).duties.order_by("code").first()
    return dispatch_services.task_intake(
        user=insider, source=Source.CITIZEN, description="东华门大街有人占道经营", point=point, category=category,
        reporter_name="欧阳明远", reporter_phone="13911223344",
    ).task


@pytest.fixture
def legacy_member():
    """A merchant made a member of the 东城 bureau the way the old demo did (straight into the table)."""
    user = User.objects.create(username="legacy_merchant", display_name="老商户")
    Membership.objects.create(user=user, organization=Organization.objects.get(name=DONGCHENG_BUREAU), role=Role.MERCHANT)
    Membership.objects.create(user=user, organization=Organization.objects.get(name=DHM_SQUAD), role=Role.CITIZEN)
    return User.objects.get(pk=user.pk)


def _web(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- roles -------------------------------------------------------------------------------------------

def test_the_demo_merchant_and_citizen_serve_in_no_organisation(personas):
    merchant, citizen = personas["merchant"], personas["citizen"]
    assert merchant.roles() == {Role.MERCHANT} and merchant.entity_id is not None
    assert citizen.roles() == {Role.CITIZEN}
    for user in (merchant, citizen):
        assert not user.is_staff_member() and user.organizations() == [] and staff_organization_ids(user) == []
        assert not user.memberships.filter(is_active=True).exists()


def test_a_merchant_or_citizen_membership_grants_nothing(legacy_member, task):
    assert not legacy_member.is_staff_member() and staff_organization_ids(legacy_member) == []
    api = _api(legacy_member)
    assert api.get("/api/dispatch/tasks/").json()["count"] == 0
    assert api.get(f"/api/dispatch/tasks/{task.pk}/").status_code == 404
    assert _web(legacy_member).get(f"/dispatch/tasks/{task.pk}/").status_code == 403


def test_only_staff_roles_can_be_granted_in_an_organisation(citizen):
    bureau = Organization.objects.get(name=DONGCHENG_BUREAU)
    for role in (Role.MERCHANT, Role.CITIZEN):
        with pytest.raises(ApplicationError) as error:
            account_services.membership_grant(user=None, member=citizen, organization=bureau, role=role)
        assert error.value.code == "not_a_staff_role"


# --- tasks -------------------------------------------------------------------------------------------

def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_task_api_answers_each_caller_by_role_and_jurisdiction(personas, admin_user, task):
    expected = {"insider": (True, 200), "outsider": (False, 404), "citizen": (False, 404), "merchant": (False, 404), "anonymous": (None, 401)}
    for name, (listed, detail_status) in expected.items():
        api = _api(personas[name])
        listing = api.get("/api/dispatch/tasks/?page_size=500")
        detail = api.get(f"/api/dispatch/tasks/{task.pk}/")
        assert detail.status_code == detail_status, name
        if listed is None:
            assert listing.status_code == 401
        else:
            assert (task.pk in [t["id"] for t in listing.json()["results"]]) is listed, name
    assert _api(personas["citizen"]).get("/api/dispatch/tasks/").json()["count"] == 0
    assert _api(personas["merchant"]).get("/api/dispatch/tasks/").json()["count"] == 0


def test_a_superuser_sees_every_task(admin_user, task):
    api = _api(admin_user)
    assert api.get("/api/dispatch/tasks/").json()["count"] == Task.objects.count()
    assert api.get(f"/api/dispatch/tasks/{task.pk}/").status_code == 200
    assert _web(admin_user).get(f"/dispatch/tasks/{task.pk}/").status_code == 200
    assert task.number in _web(admin_user).get("/dispatch/").content.decode()


def test_the_staff_task_page_and_intake_queue_are_for_staff_of_the_jurisdiction(personas, task):
    page, queue = f"/dispatch/tasks/{task.pk}/", "/dispatch/"
    insider = _web(personas["insider"])
    assert insider.get(page).status_code == 200 and task.number in insider.get(queue).content.decode()
    outsider = _web(personas["outsider"])
    assert outsider.get(page).status_code == 404
    assert outsider.get(queue).status_code == 200 and task.number not in outsider.get(queue).content.decode()
    for name in ("citizen", "merchant"):
        client = _web(personas[name])
        assert client.get(page).status_code == 403, name
        assert client.get(queue).status_code == 403, name
        assert client.post(f"/dispatch/tasks/{task.pk}/accept/").status_code == 403, name
    anonymous = _web(None)
    for url in (page, queue):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_dispatch_notifies_only_the_staff_of_the_organisation(insider, task, legacy_member):
    dispatch_services.task_dispatch(user=insider, task=task)
    task.refresh_from_db()
    recipients = set(Notification.objects.filter(event="task.dispatched", payload__id=task.pk).values_list("recipient_id", flat=True))
    squad = set(Membership.objects.filter(organization=task.organization, is_active=True, role__in=[Role.OFFICER, Role.SQUAD_LEADER])
                .values_list("user_id", flat=True))
    assert squad and squad <= recipients
    assert legacy_member.pk not in recipients


def test_a_websocket_joins_organisation_groups_only_for_staff_memberships(legacy_member, street_officer):
    from apps.realtime.consumers import _groups_for

    groups_for = _groups_for.func  # the synchronous body (the async wrapper would close the test's connection)
    assert groups_for(legacy_member) == [f"user.{legacy_member.pk}"]
    officer_groups = groups_for(street_officer)
    squad = Organization.objects.get(name=DHM_SQUAD)
    assert f"org.{squad.pk}" in officer_groups and "region.110101001" in officer_groups


# --- cases -------------------------------------------------------------------------------------------

def test_the_case_api_lists_cases_by_role_and_jurisdiction(personas, admin_user):
    case = Case.objects.filter(region_code__startswith="110101").order_by("id").first()
    assert case is not None, "the demo has no case in 东城"
    for name, (listed, detail_status) in {"insider": (True, 200), "outsider": (False, 404), "citizen": (False, 404),
                                          "merchant": (False, 404), "anonymous": (None, 401)}.items():
        api = _api(personas[name])
        listing = api.get("/api/cases/?page_size=500")
        assert api.get(f"/api/cases/{case.pk}/").status_code == detail_status, name
        if listed is None:
            assert listing.status_code == 401
        else:
            assert (case.pk in [c["id"] for c in listing.json()["results"]]) is listed, name
    assert _api(admin_user).get("/api/cases/").json()["count"] == Case.objects.count()


def test_search_never_confirms_a_name_or_id_the_viewer_sees_masked(insider, analyst, legal_reviewer):
    case = Case.objects.filter(region_code__startswith="110101", party_kind="citizen").exclude(party_name="").order_by("id").first()
    assert case is not None, "the demo has no citizen party in 东城"
    by_name = f"/api/cases/?q={case.party_name}"
    assert case.pk not in [c["id"] for c in _api(analyst).get(by_name).json()["results"]]  # analyst: names masked
    assert case.pk in [c["id"] for c in _api(insider).get(by_name).json()["results"]]
    by_id = f"/api/cases/?q={case.party_code}"
    assert case.pk not in [c["id"] for c in _api(insider).get(by_id).json()["results"]]  # staff: ID masked
    assert case.pk in [c["id"] for c in _api(legal_reviewer).get(by_id).json()["results"]]
    assert case.pk not in [c["id"] for c in _api(legal_reviewer).get(f"/api/cases/?q={case.party_code[:10]}").json()["results"]]


def test_party_lookup_is_not_a_register_for_the_public(citizen, merchant, insider):
    from apps.gbcp.models import Person

    person = Person.objects.exclude(id_number=None).order_by("id").first()
    for user in (citizen, merchant):
        assert _api(user).get(f"/api/cases/parties/lookup/?code={person.id_number}").status_code == 404
    body = _api(insider).get(f"/api/cases/parties/lookup/?code={person.id_number}").json()
    assert body["linked"] is True and person.id_number not in str(body)


# --- ledger corrections --------------------------------------------------------------------------------

@pytest.fixture
def zone():
    """A 东城 frontage zone from the demo with a responsible person and phone."""
    zone = FrontageZone.objects.filter(region_code__startswith="110101").exclude(responsible_phone="").select_related("place").order_by("id").first()
    assert zone is not None, "the demo has no frontage zone in 东城"
    return zone


def _propose(user, zone, field="responsible_phone", value="13800000000"):
    return _api(user).post("/api/ledger/corrections/", {"target_type": "zone", "target_id": zone.pk, "field": field,
                                                         "proposed_value": value, "reason": "x"}, format="json")


def test_a_correction_answers_the_current_value_masked_by_the_proposers_clearance(personas, legal_reviewer, zone):
    from apps.gbcp.masking import Clearance, mask

    phone = zone.responsible_phone
    insider = _propose(personas["insider"], zone)
    assert insider.status_code == 201 and insider.json()["current_value"] == mask("phone", phone, Clearance.STAFF) != phone
    legal = _propose(legal_reviewer, zone, value="13800000001")
    assert legal.status_code == 201 and legal.json()["current_value"] == phone
    assert _propose(personas["outsider"], zone).status_code == 404
    assert _propose(personas["anonymous"], zone).status_code in (401, 403)
    # The insider's list shows the legal reviewer's proposal masked as well.
    listed = {c["id"]: c for c in _api(personas["insider"]).get("/api/ledger/corrections/?page_size=500").json()["results"]}
    assert listed[legal.json()["id"]]["proposed_value"] == "138****0001" and listed[legal.json()["id"]]["current_value"] != phone


def test_citizens_and_merchants_cannot_walk_zone_ids(personas, zone):
    missing = FrontageZone.objects.order_by("-id").first().pk + 1000
    for name in ("citizen", "merchant"):
        user = personas[name]
        assert _propose(user, zone).status_code == 404, name
        there, not_there = _propose(user, zone, field="responsible_name", value="张三"), _propose(user, FrontageZone(pk=missing))
        assert there.status_code == not_there.status_code == 404 and there.json() == not_there.json()


def test_a_merchant_corrects_its_own_zone_and_sees_it_masked(merchant, zone):
    from apps.gbcp.masking import Clearance, mask

    FrontageZone.objects.filter(pk=zone.pk).update(responsible_entity=merchant.entity)
    answer = _propose(merchant, zone, value="13800000002")
    assert answer.status_code == 201
    assert answer.json()["current_value"] == mask("phone", zone.responsible_phone, Clearance.PUBLIC) != zone.responsible_phone
    assert answer.json()["proposed_value"] == "13800000002"
    # Proposing the value it already holds does not confirm a guess the merchant sees masked.
    assert _propose(merchant, zone, value=zone.responsible_phone).status_code == 201


# --- menu and home -------------------------------------------------------------------------------------

def test_the_staff_menu_is_for_staff_and_the_public_gets_the_portal_menu(personas, admin_user):
    for name in ("citizen", "merchant"):
        html = _web(personas[name]).get("/").content.decode()
        assert 'href="/dispatch/"' not in html and 'href="/cases/"' not in html and 'href="/ledger/"' not in html, name
        assert 'href="/report/"' in html and 'href="/messages/"' in html, name
    for user in (personas["insider"], admin_user):
        html = _web(user).get("/").content.decode()
        assert 'href="/dispatch/"' in html and 'href="/cases/"' in html


# --- a merchant's own things ------------------------------------------------------------------------

def test_a_merchant_sees_its_own_places_and_business_and_a_citizen_sees_none(personas, dongcheng_place, haidian_place):
    from apps.gbcp.models import Place

    merchant = personas["merchant"]
    Place.objects.filter(pk=dongcheng_place.pk).update(operator=merchant.entity)
    api = _api(merchant)
    listed = [p["id"] for p in api.get("/api/gbcp/places/?page_size=500").json()["results"]]
    assert dongcheng_place.pk in listed and set(listed) == set(Place.objects.filter(operator=merchant.entity).values_list("pk", flat=True))
    assert api.get(f"/api/gbcp/places/{dongcheng_place.pk}/").status_code == 200
    assert api.get(f"/api/gbcp/places/{haidian_place.pk}/").status_code == 404
    assert [e["id"] for e in api.get("/api/gbcp/entities/").json()["results"]] == [merchant.entity_id]
    assert "legal_representative" in api.get(f"/api/gbcp/entities/{merchant.entity_id}/").json()
    citizen = _api(personas["citizen"])
    assert citizen.get("/api/gbcp/places/").json()["count"] == 0 and citizen.get("/api/gbcp/entities/").json()["count"] == 0
    assert citizen.get(f"/api/gbcp/places/{dongcheng_place.pk}/").status_code == 404
    # The merchant's page lists its places; the staff place page stays closed to it.
    assert dongcheng_place.name in _web(merchant).get("/").content.decode()
    assert _web(merchant).get(f"/places/{dongcheng_place.pk}/").status_code == 403
