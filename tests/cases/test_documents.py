"""Case documents: Chinese text readable with pdftotext, the verification QR read back, the public verify page."""
import shutil
import subprocess

import pytest

from apps.cases import services
from apps.cases.models import CaseDocument

from .conftest import PERSON_ID

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdftoppm"), reason="poppler-utils missing")


@pytest.fixture
def decision(officer1, officer2, vendor_cause, dhm_place):
    case = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="张三",
                                       party_code=PERSON_ID, amount="100", facts="在东华门大街占道经营", place=dhm_place)
    return CaseDocument.objects.get(case=case, kind="onsite_decision")


def _bytes(document):
    with document.file.open("rb") as f:
        return f.read()


@pytest.mark.django_db
def test_the_on_the_spot_decision_reads_back_in_chinese_with_both_qr_codes(decision, tmp_path):
    from PIL import Image
    from pyzbar import pyzbar

    data = _bytes(decision)
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "当场行政处罚决定书" in text and "张三" in text and "罚款100.00元" in text.replace(" ", "").replace("\n", "")
    assert decision.number in text.replace(" ", "")
    # Both officers sign with the numbers of their enforcement certificates (arts. 42, 52).
    from apps.accounts.models import EnforcementCertificate

    flat = text.replace(" ", "").replace("\n", "")
    for officer in decision.case.officers.all():
        number = EnforcementCertificate.objects.filter(officer=officer, status="valid").order_by("-valid_to").values_list("number", flat=True).first()
        assert number and f"执法证号：{number}" in flat, (officer, number)
    (tmp_path / "doc.pdf").write_bytes(data)
    # Every page: the codes stand with the signatures and the seal, on the document's last page.
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")], check=True)
    codes = {s.data.decode() for page in sorted(tmp_path.glob("page*.png")) for s in pyzbar.decode(Image.open(page))}
    assert any(c.endswith(f"/cases/verify/{decision.verify_token}/") for c in codes)
    assert any(f"/cases/pay/{decision.case.payment.reference}/" in c for c in codes)


@pytest.mark.django_db
def test_anyone_can_verify_a_document_by_uploading_it(client, decision):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.get(f"/cases/verify/{decision.verify_token}/")
    body = page.content.decode()
    assert page.status_code == 200 and decision.number in body and decision.sha256 in body
    assert client.get(f"/cases/verify/{decision.number}/").status_code == 200
    match = client.post(f"/cases/verify/{decision.verify_token}/", {"file": SimpleUploadedFile("d.pdf", _bytes(decision), "application/pdf")})
    assert 'data-result="match"' in match.content.decode()
    forged = client.post(f"/cases/verify/{decision.verify_token}/", {"file": SimpleUploadedFile("d.pdf", _bytes(decision) + b"%", "application/pdf")})
    assert 'data-result="no-match"' in forged.content.decode()
    assert client.get("/cases/verify/nothing-here/").status_code == 404


@pytest.mark.django_db
def test_document_numbers_run_per_district_year_and_kind(officer1, officer2, vendor_cause, dhm_place, decision):
    second = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="李四",
                                         party_code=PERSON_ID, amount="50", facts="占道", place=dhm_place)
    numbers = list(CaseDocument.objects.filter(kind="onsite_decision", case__in=[decision.case, second]).order_by("pk").values_list("number", flat=True))
    seqs = [int(n.split("第")[1].rstrip("号")) for n in numbers]
    assert seqs[1] == seqs[0] + 1
