"""Staff pages of the ledger and the import command."""
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apps.ledger import services
from apps.ledger.models import Correction, Finding, Licence, LicenceKind, SourceBatch
from tests.ledger.conftest import csv_bytes

pytestmark = pytest.mark.django_db

PAGES = ["ledger-overview", "ledger-licences", "ledger-findings", "ledger-corrections", "ledger-import", "ledger-map"]


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_pages_open_for_staff_and_not_for_anonymous(name, insider, outsider):
    assert _client(insider).get(reverse(name)).status_code == 200
    assert _client(outsider).get(reverse(name)).status_code == 200
    assert _client().get(reverse(name)).status_code == 302


def test_the_licence_list_shows_only_the_own_district(insider, outsider, haidian_place):
    Licence.objects.create(kind=LicenceKind.objects.get(code="drainage"), number="T-HD-ONLY", place=haidian_place,
                           valid_to=dt.date(2030, 1, 1), region_code=haidian_place.region.code)
    assert "T-HD-ONLY" not in _client(insider).get(reverse("ledger-licences"), {"q": "T-HD"}).content.decode()
    assert "T-HD-ONLY" in _client(outsider).get(reverse("ledger-licences"), {"q": "T-HD"}).content.decode()


def test_the_licence_page_needs_a_fixed_number_of_queries(insider, django_assert_max_num_queries):
    client = _client(insider)
    client.get(reverse("ledger-licences"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("ledger-licences"), {"expired": "1"})
    assert response.status_code == 200


def test_a_citizen_gets_no_staff_page(citizen):
    assert _client(citizen).get(reverse("ledger-overview")).status_code == 403


def test_findings_are_sent_back_from_the_page(dongcheng_restaurant, insider, outsider):
    licence = Licence.objects.create(kind=LicenceKind.objects.get(code="drainage"), number="T-PAGE-1", place=dongcheng_restaurant,
                                     valid_to=dt.date.today() - dt.timedelta(days=1), region_code=dongcheng_restaurant.region.code)
    _client(insider).post(reverse("ledger-compare"))
    finding = Finding.objects.get(licence=licence)
    _client(outsider).post(reverse("ledger-findings-send-back"), {"finding": [finding.pk], "department": "x", "fmt": "csv"})
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    _client(insider).post(reverse("ledger-findings-send-back"), {"finding": [finding.pk], "department": "东城区水务局", "fmt": "csv"})
    finding.refresh_from_db()
    assert finding.status == Finding.Status.SENT_BACK
    send_back = finding.send_backs.get()
    assert _client(insider).get(reverse("ledger-send-back-file", kwargs={"pk": send_back.pk})).status_code == 200
    assert _client(outsider).get(reverse("ledger-send-back-file", kwargs={"pk": send_back.pk})).status_code == 404


def test_a_correction_is_accepted_from_the_queue(dongcheng_restaurant, street_officer, insider, outsider):
    licence = Licence.objects.create(kind=LicenceKind.objects.get(code="drainage"), number="T-PAGE-2", place=dongcheng_restaurant,
                                     valid_to=dt.date(2030, 1, 1), region_code=dongcheng_restaurant.region.code)
    correction = services.correction_report(user=street_officer, target=licence, field="number", proposed_value="T-PAGE-3", reason="r")
    url = reverse("ledger-correction-review", kwargs={"pk": correction.pk})
    assert _client(outsider).post(url, {"decision": "accept"}).status_code == 404
    _client(insider).post(url, {"decision": "reject", "note": ""})
    correction.refresh_from_db()
    assert correction.status == Correction.Status.PENDING  # a rejection without a note is refused
    _client(insider).post(url, {"decision": "accept"})
    licence.refresh_from_db()
    assert licence.number == "T-PAGE-3"


def test_the_import_page_shows_the_report(dongcheng_restaurant, insider, street_officer):
    data = csv_bytes(["证照类型", "证照编号", "城市码", "有效期止"], [["排水许可", "T-PAGE-4", dongcheng_restaurant.city_code, "2030-01-01"],
                                                          ["排水许可", "T-PAGE-5", "BAD", "2030-01-01"]])
    upload = io.BytesIO(data)
    upload.name = "page.csv"
    response = _client(insider).post(reverse("ledger-import"), {"kind": "licences", "department": "水务局", "file": upload})
    assert response.status_code == 200 and response.context["report"].created == 1 and response.context["report"].failed == 1
    assert _client(street_officer).get(reverse("ledger-import")).status_code == 403


def test_the_admin_import_page_shows_the_report(dongcheng_restaurant, admin_user):
    data = csv_bytes(["kind", "number", "place_code", "valid_to"], [["排水许可", "T-ADM-1", dongcheng_restaurant.city_code, "2030-01-01"]])
    upload = io.BytesIO(data)
    upload.name = "admin.csv"
    response = _client(admin_user).post(reverse("admin:ledger_sourcebatch_import"), {"kind": "licences", "department": "水务局", "file": upload})
    assert response.status_code == 200 and response.context["report"].created == 1


def test_the_command_shows_progress_and_fails_when_a_row_fails(tmp_path, dongcheng_restaurant):
    rows = [["排水许可", f"T-CMD-{n}", dongcheng_restaurant.city_code, "2030-01-01"] for n in range(5)] + [["排水许可", "T-CMD-X", "", "2030-01-01"]]
    path = tmp_path / "licences.csv"
    path.write_bytes(csv_bytes(["证照类型", "证照编号", "城市码", "有效期止"], rows))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("ledger_import", "licences", str(path), department="水务局", every=2, stdout=out, stderr=err)
    assert info.value.code == 1
    assert "2/6" in err.getvalue() and "6/6" in err.getvalue()
    assert "row 7" in out.getvalue() or "第 7 行" in out.getvalue()
    assert SourceBatch.objects.get(file_name="licences.csv").rows_created == 5


def test_the_command_exits_cleanly_when_every_row_imports(tmp_path, dongcheng_restaurant):
    path = tmp_path / "ok.csv"
    path.write_bytes(csv_bytes(["kind", "number", "place_code", "valid_to"], [["排水许可", "T-CMD-OK", dongcheng_restaurant.city_code, "2030-01-01"]]))
    out = io.StringIO()
    call_command("ledger_import", "licences", str(path), department="水务局", stdout=out, stderr=io.StringIO())
    assert Licence.objects.filter(number="T-CMD-OK").exists()


def test_the_admin_lists_batches_with_a_link_to_the_import_page(admin_user):
    response = _client(admin_user).get(reverse("admin:ledger_sourcebatch_changelist"))
    assert response.status_code == 200 and reverse("admin:ledger_sourcebatch_import") in response.content.decode()


@pytest.mark.parametrize("model", ["licence", "frontagezone", "keypoint", "finding", "correction", "sendback", "comparisonrun", "licencekind"])
def test_every_ledger_model_has_an_admin_list(model, admin_user):
    assert _client(admin_user).get(reverse(f"admin:ledger_{model}_changelist")).status_code == 200


def test_an_officer_reports_an_error_from_the_licence_list(dongcheng_restaurant, street_officer, outsider):
    licence = Licence.objects.create(kind=LicenceKind.objects.get(code="drainage"), number="T-PAGE-6", place=dongcheng_restaurant,
                                     valid_to=dt.date(2030, 1, 1), region_code=dongcheng_restaurant.region.code)
    url = reverse("ledger-correction-new")
    query = {"target_type": "licence", "target_id": licence.pk}
    assert _client(street_officer).get(url, query).status_code == 200
    assert _client(outsider).get(url, query).status_code == 404
    response = _client(street_officer).post(url, {**query, "field": "valid_to", "proposed_value": "2029-01-01", "reason": "原件如此"})
    assert response.status_code == 302
    correction = Correction.objects.get(target_id=licence.pk, field="valid_to")
    assert correction.reported_by == street_officer and correction.status == Correction.Status.PENDING


def test_the_compare_command_and_task_add_no_duplicates(dongcheng_restaurant):
    from apps.ledger.tasks import compare_ledger

    Licence.objects.create(kind=LicenceKind.objects.get(code="drainage"), number="T-CMP-1", place=dongcheng_restaurant,
                           valid_to=dt.date.today() - dt.timedelta(days=1), region_code=dongcheng_restaurant.region.code)
    out = io.StringIO()
    call_command("ledger_compare", region="110101", stdout=out)
    assert Finding.objects.filter(licence__number="T-CMP-1").count() == 1
    result = compare_ledger.delay("110101").get()
    assert result["new"] == 0 and Finding.objects.filter(licence__number="T-CMP-1").count() == 1


@pytest.mark.parametrize("name", PAGES)
def test_staff_pages_use_the_one_staff_guard(name, citizen, merchant, django_user_model):
    assert _client(citizen).get(reverse(name)).status_code == 403
    assert _client(merchant).get(reverse(name)).status_code == 403
    anonymous = _client().get(reverse(name))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    superuser = django_user_model.objects.create_superuser("ledger-root", "root@example.test", "x" * 20)
    assert _client(superuser).get(reverse(name)).status_code == 200
