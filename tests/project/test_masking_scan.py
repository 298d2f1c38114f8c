"""Masking holds in every output (issue 10, finding 2): for each clearance persona, render every list and detail
endpoint of the API and the staff pages over the demo city, and scan the answers for the full phone numbers, ID
numbers and names of people that this viewer may not see."""
import pytest
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.cases.models import Case, PartyKind
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Source, Task
from apps.gbcp.masking import Clearance
from apps.gbcp.models import Entity, Organization, Person, Place, Region
from apps.ledger import services as ledger_services
from apps.ledger.models import FrontageZone

pytestmark = pytest.mark.django_db

# username, clearance, jurisdiction prefix ("" for none); the five personas of the brief.
PERSONAS = {
    "analyst": ("city_analyst", Clearance.PUBLIC, "1101"),
    "dispatcher": ("dc_dispatcher", Clearance.STAFF, "110101"),
    "legal": ("dc_legal", Clearance.FULL, "110101"),
    "citizen": ("citizen", Clearance.PUBLIC, ""),
    "merchant": ("merchant", Clearance.PUBLIC, ""),
}

REPORTER_NAME, REPORTER_PHONE = "欧阳明远", "13911223344"
ZONE_PHONE_PROPOSED = "13700001111"


@pytest.fixture
def planted(db):
    """Personal data where every staff page will show it: a task with a reporter in 东华门, a correction of a zone's phone,
    a correction in 海淀 (outside 东城 staff's reach)."""
    point = Region.objects.get(code="110101001").boundary.buffer(-0.004).point_on_surface
    category = Organization.objects.get(name="东华门街道综合行政执法队").duties.order_by("code").first()
    city = User.objects.get(username="city_dispatcher")  # not one of the scanned personas: their own input would be theirs
    task = dispatch_services.task_intake(user=city, source=Source.CITIZEN, description="路口占道经营", point=point, category=category,
                                         reporter_name=REPORTER_NAME, reporter_phone=REPORTER_PHONE).task
    zone = FrontageZone.objects.filter(region_code__startswith="110101").exclude(responsible_phone="").order_by("id").first()
    correction = ledger_services.correction_report(user=city, target=zone, field="responsible_phone",
                                                   proposed_value=ZONE_PHONE_PROPOSED, reason="电话换了")
    return {"task": task, "zone": zone, "correction": correction}


def _secrets(clearance, prefix):
    """What this viewer may not see: {kind: {value}}. Below full clearance no whole phone or ID number; below staff
    clearance no person's name; and nobody sees anything of people outside their jurisdiction."""
    phones, ids, names = set(), set(), set()
    outside, inside_values = set(), set()

    def add(phone=None, id_number=None, name=None, region_code=""):
        inside = bool(prefix) and (region_code or "").startswith(prefix)
        for value, bucket, visible_from in ((phone, phones, Clearance.FULL), (id_number, ids, Clearance.FULL), (name, names, Clearance.STAFF)):
            if not value:
                continue
            if clearance < visible_from:
                bucket.add(value)
            elif not inside and region_code:
                outside.add(value)
            elif inside:
                inside_values.add(value)

    for person in Person.objects.all():
        add(phone=person.phone, id_number=person.id_number, name=person.name, region_code=(person.id_number or "")[:6])
    for entity in Entity.objects.select_related("region"):
        add(phone=entity.contact_phone, name=entity.legal_representative, region_code=entity.region.code if entity.region_id else "")
    for zone in FrontageZone.objects.all():
        add(phone=zone.responsible_phone, name=zone.responsible_name, region_code=zone.region_code)
    for task in Task.objects.exclude(reporter_phone="", reporter_name=""):
        add(phone=task.reporter_phone, name=task.reporter_name, region_code=task.region_code)
    for case in Case.objects.filter(party_kind=PartyKind.CITIZEN):
        add(id_number=case.party_code, name=case.party_name, region_code=case.region_code)
    add(phone=ZONE_PHONE_PROPOSED, region_code="110101001")
    # A two-character name can be part of ordinary words (a street, a shop); names are checked from three characters.
    names = {n for n in names if len(n) >= 3}
    # The same value inside the jurisdiction (a common name like 杨先生) may be shown.
    outside = {v for v in outside - inside_values if len(v) >= 3}
    return {"phone": phones, "id number": ids, "name": names, "outside the jurisdiction": outside}


def _first_ids(client, url, n=3):
    response = client.get(url, {"page_size": 50})
    if response.status_code != 200 or "application/json" not in response.get("Content-Type", ""):
        return []
    body = response.json()
    rows = body.get("results", body.get("features", body)) if isinstance(body, dict) else body
    return [row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)][:n]


def _api_urls(client, planted):
    """Every GET endpoint of the API that lists or shows records, detail pages filled from the lists (and the planted records)."""
    lists = [
        "/api/accounts/me/", "/api/gbcp/places/", "/api/gbcp/places/geojson/", "/api/gbcp/entities/", "/api/gbcp/categories/",
        "/api/dispatch/tasks/", "/api/dispatch/summonses/", "/api/realtime/notifications/",
        "/api/devices/", "/api/devices/alarms/", "/api/devices/units/geojson/",
        "/api/ledger/licences/", "/api/ledger/zones/", "/api/ledger/key-points/", "/api/ledger/findings/", "/api/ledger/send-backs/",
        "/api/ledger/corrections/", "/api/evidence/", "/api/cases/", "/api/cases/causes/",
        "/api/inspection/checklists/", "/api/inspection/draws/", "/api/inspection/records/", "/api/inspection/findings/",
        "/api/inspection/self-checks/", "/api/inspection/plans/", "/api/inspection/assignments/",
        "/open311/v2/requests.json", "/api/coordination/leads/",
    ]
    details = {
        "/api/gbcp/places/": "/api/gbcp/places/{}/", "/api/gbcp/entities/": "/api/gbcp/entities/{}/",
        "/api/dispatch/tasks/": "/api/dispatch/tasks/{}/", "/api/devices/": "/api/devices/{}/", "/api/devices/alarms/": "/api/devices/alarms/{}/",
        "/api/ledger/licences/": "/api/ledger/licences/{}/", "/api/ledger/zones/": "/api/ledger/zones/{}/",
        "/api/ledger/key-points/": "/api/ledger/key-points/{}/", "/api/evidence/": "/api/evidence/{}/", "/api/cases/": "/api/cases/{}/",
        "/api/inspection/draws/": "/api/inspection/draws/{}/", "/api/inspection/records/": "/api/inspection/records/{}/",
        "/api/coordination/leads/": "/api/coordination/leads/{}/",
    }
    urls = list(lists)
    for list_url, detail in details.items():
        urls += [detail.format(pk) for pk in _first_ids(client, list_url)]
    dongcheng_places = list(Place.objects.filter(region__code__startswith="110101").order_by("id").values_list("pk", flat=True)[:3])
    citizen_cases = list(Case.objects.filter(party_kind=PartyKind.CITIZEN).order_by("id").values_list("pk", flat=True)[:3])
    entities = list(Entity.objects.exclude(contact_phone="").order_by("id").values_list("pk", flat=True)[:3])
    urls += [f"/api/dispatch/tasks/{planted['task'].pk}/", f"/api/ledger/zones/{planted['zone'].pk}/"]
    urls += [f"/api/ledger/places/{pk}/" for pk in dongcheng_places + [planted["zone"].place_id]]
    urls += [f"/api/gbcp/places/{pk}/" for pk in dongcheng_places] + [f"/api/gbcp/entities/{pk}/" for pk in entities]
    urls += [f"/api/cases/{pk}/" for pk in citizen_cases]
    person = Person.objects.exclude(id_number=None).order_by("id").first()
    urls += [f"/api/cases/parties/lookup/?code={person.id_number}"]
    return urls


def _page_urls(planted):
    task = planted["task"]
    dongcheng_places = list(Place.objects.filter(region__code__startswith="110101").order_by("id").values_list("pk", flat=True)[:3])
    cases = list(Case.objects.filter(region_code__startswith="110101").order_by("id").values_list("pk", flat=True)[:5])
    return [
        "/", "/map/", "/messages/", "/dispatch/", "/dispatch/overdue/", f"/dispatch/tasks/{task.pk}/", "/devices/map/",
        "/ledger/", "/ledger/licences/", "/ledger/findings/", "/ledger/corrections/", "/ledger/map/", "/evidence/",
        "/cases/", "/cases/queue/legal/", "/cases/queue/leader/", "/cases/queue/squad/", "/cases/onsite/",
        "/inspection/", "/inspection/draws/", "/inspection/public/draws/", f"/report/track/{task.tracking_code}/",
        "/coordination/leads/", "/coordination/sharing/",
        *[f"/places/{pk}/" for pk in dongcheng_places], *[f"/inspection/places/{pk}/history/" for pk in dongcheng_places],
        *[f"/cases/{pk}/" for pk in cases],
    ]


def _hits(url, text, secrets):
    """Values found in the answer; a value the caller put in the URL (a looked-up code echoed back) is theirs already."""
    return [(kind, value) for kind, values in secrets.items() for value in values if value and value in text and value not in url]


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_no_output_shows_personal_data_the_viewer_may_not_see(persona, planted):
    username, clearance, prefix = PERSONAS[persona]
    user = User.objects.get(username=username)
    secrets = _secrets(clearance, prefix)
    assert secrets["phone"] or clearance == Clearance.FULL  # the scan has something to look for
    api = APIClient()
    api.force_authenticate(user)
    web = Client()
    web.force_login(user)
    leaks, seen = [], 0
    for url in _api_urls(api, planted):
        response = api.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code == 200:
            seen += 1
            leaks += [(url, *hit) for hit in _hits(url, response.content.decode(), secrets)]
    for url in _page_urls(planted):
        response = web.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code == 200:
            seen += 1
            leaks += [(url, *hit) for hit in _hits(url, response.content.decode(), secrets)]
    assert seen >= 5, "too few outputs were rendered to mean anything"
    assert leaks == [], f"{persona} sees what it may not: {leaks[:20]}"


def test_the_scan_would_see_a_leak(planted):
    """The scan is not blind: the full-clearance legal reviewer's task page does show the planted reporter's phone."""
    web = Client()
    web.force_login(User.objects.get(username="dc_legal"))
    html = web.get(f"/dispatch/tasks/{planted['task'].pk}/").content.decode()
    assert REPORTER_PHONE in html or REPORTER_NAME in html
