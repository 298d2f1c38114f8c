"""QR codes on printed documents lead to the configured public address, else to the host the request came in on —
never to 127.0.0.1 when the site is served under another name (issue 13, documents). Read back from the PDF."""
import shutil
import subprocess

import pytest

from apps.cases import services
from apps.cases.models import Case, CaseDocument
from apps.gbcp import publicurl

from .conftest import PERSON_ID

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")]
HOST = "zhifa.example.gov.cn"


def qr_codes(document, tmp_path):
    from PIL import Image
    from pyzbar import pyzbar

    with document.file.open("rb") as handle:
        (tmp_path / "doc.pdf").write_bytes(handle.read())
    # Every page: the codes stand with the signatures and the seal, on the document's last page.
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    return {s.data.decode() for page in sorted(tmp_path.glob("page*.png")) for s in pyzbar.decode(Image.open(page))}


def decide_through_the_api(api_as, officer1, officer2, vendor_cause, dhm_place, **headers):
    response = api_as(officer1).post("/api/cases/onsite/", {
        "co_officer": officer2.pk, "party_kind": "citizen", "party_name": "张三", "party_code": PERSON_ID, "cause": vendor_cause.code,
        "amount": "100", "facts": "在东华门大街占道经营", **({"place": dhm_place.pk} if dhm_place else {}),
    }, format="json", **headers)
    assert response.status_code == 201, response.content
    return CaseDocument.objects.get(case=Case.objects.get(number=response.json()["number"]), kind="onsite_decision")


def test_without_a_setting_the_qr_leads_to_the_host_the_officer_used(settings, api_as, officer1, officer2, vendor_cause, dhm_place, tmp_path):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    settings.PUBLIC_BASE_URL = settings.CASES_PUBLIC_BASE_URL = ""
    document = decide_through_the_api(api_as, officer1, officer2, vendor_cause, dhm_place, HTTP_HOST=HOST)
    codes = qr_codes(document, tmp_path)
    assert f"http://{HOST}/cases/verify/{document.verify_token}/" in codes
    assert all(code.startswith(f"http://{HOST}/") for code in codes), codes


def test_the_configured_public_address_wins(settings, api_as, officer1, officer2, vendor_cause, dhm_place, tmp_path):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    settings.PUBLIC_BASE_URL, settings.CASES_PUBLIC_BASE_URL = "https://cgzf.beijing.example/", ""
    document = decide_through_the_api(api_as, officer1, officer2, vendor_cause, dhm_place, HTTP_HOST=HOST)
    assert f"https://cgzf.beijing.example/cases/verify/{document.verify_token}/" in qr_codes(document, tmp_path)


def test_outside_a_request_the_local_default_and_no_host_leaks_between_requests(settings, officer1, officer2, vendor_cause, dhm_place):
    settings.PUBLIC_BASE_URL = settings.CASES_PUBLIC_BASE_URL = ""
    case = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="张三",
                                       party_code=PERSON_ID, amount="100", facts="在东华门大街占道经营", place=dhm_place)
    assert CaseDocument.objects.get(case=case, kind="onsite_decision").verify_token
    assert publicurl.base_url() == publicurl.LOCAL_DEFAULT


def test_a_document_downloads_under_its_case_number_and_title_and_the_page_names_the_kind(client, officer1, officer2, vendor_cause, dhm_place):
    from urllib.parse import quote

    case = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="张三",
                                       party_code=PERSON_ID, amount="100", facts="在东华门大街占道经营", place=dhm_place)
    document = CaseDocument.objects.get(case=case, kind="onsite_decision")
    client.force_login(officer1)
    response = client.get(f"/cases/documents/{document.pk}/download/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert quote(f"{case.number}-当场行政处罚决定书.pdf") in disposition and document.verify_token not in disposition
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "当场行政处罚决定书" in page and ">onsite_decision<" not in page
