"""The enforcement subject (执法主体) found up the organisation tree, the decision's six elements of art. 59
read back from the PDF, its seal, and its PAdES signature checked by the public verification page."""
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.cases import services, signing
from apps.cases.models import CaseDocument, EnforcementSubject
from apps.cases.subjects import subject_for

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.fixture(autouse=True)
def demo_ca(settings, tmp_path_factory):
    settings.CASES_DEMO_CA_DIR = str(tmp_path_factory.mktemp("ca"))  # a fresh demo CA for these tests, never the machine's
    settings.CASES_DOCUMENT_SIGNER = "apps.cases.signing.DemoSigner"


@pytest.fixture
def subject(db):
    return EnforcementSubject.objects.get(organizations__region__code="110101", organizations__level=2)  # 东城区城管执法局


def _text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return out.replace(" ", "").replace("\n", "")


def _jpeg():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("scene.jpg", buffer.getvalue(), content_type="image/jpeg")


def _bytes(document):
    with document.file.open("rb") as f:
        return f.read()


@pytest.fixture
def decided(investigating, officer1, legal, leader):
    case = services.case_update(user=officer1, case=investigating, party_kind="citizen", party_name="张三",
                                party_code=investigating.party_code, party_address="北京市东城区测试胡同8号")
    photo = _jpeg()
    services.case_evidence_add(user=officer1, case=case, files=[photo], note="现场照片：占道摊位")
    services.case_set_penalty(user=officer1, case=case, level="ordinary", fine="3000", departure_reason="经营面积较大")
    services.case_submit_review(user=officer1, case=case)
    services.case_legal_review(user=legal, case=case, passed=True)
    services.case_leader_approve(user=leader, case=case)
    case = services.case_notify(user=officer1, case=case)
    return services.case_decide(user=leader, case=case)


@pytest.mark.django_db
def test_a_street_squad_acts_in_the_name_of_its_district_bureau_found_up_the_tree(officer1, subject):
    from apps.accounts.jurisdiction import staff_memberships

    squad = next(m.organization for m in staff_memberships(officer1) if m.organization.kind == "enforcement_team")
    assert squad.parent is not None and squad not in subject.organizations.all()
    assert subject_for(squad) == subject
    assert subject_for(None) is None
    assert subject.seal_is_demo and subject.review_organ and subject.court


@pytest.mark.django_db
def test_the_decision_prints_the_six_elements_of_article_59(decided, subject):
    document = CaseDocument.objects.get(case=decided, kind="penalty_decision")
    text = _text(_bytes(document))
    assert document.issuer == subject.name and subject.name in text  # (6) the organ …
    assert "张三" in text and "北京市东城区测试胡同8号" in text  # (1) name and address of the party
    assert "以上事实有下列证据证明" in text and "询问笔录" in text and "现场照片：占道摊位" in text  # (2) facts and evidence
    assert decided.cause.penalty_basis.replace(" ", "") in text and "罚款3000.00元" in text  # (3) kind and basis
    assert "十五日内缴纳罚款" in text  # (4) manner and deadline of performance
    assert f"六十日内向{subject.review_organ}申请行政复议" in text and f"六个月内向{subject.court}提起行政诉讼" in text  # (5)
    issued = document.issued_at.astimezone().date()
    assert f"{issued.year}年{issued.month}月{issued.day}日" in text  # (6) … and the date
    assert "演示样章" in text  # the demo seal says so on the document


@pytest.mark.django_db
def test_the_decision_is_signed_by_its_subject_and_one_flipped_byte_breaks_the_signature(decided, subject):
    document = CaseDocument.objects.get(case=decided, kind="penalty_decision")
    data = _bytes(document)
    check = signing.get_signer().validate(data)
    assert check.valid and check.signer == subject.name
    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x01
    assert not signing.get_signer().validate(bytes(tampered)).valid
    unsigned = signing.DemoSigner().validate(b"%PDF-1.4 not really")
    assert not unsigned.signed and not unsigned.valid


@pytest.mark.django_db
def test_a_certificate_from_another_authority_is_not_trusted(decided, settings, tmp_path):
    data = _bytes(CaseDocument.objects.get(case=decided, kind="penalty_decision"))
    stranger = signing.DemoSigner(tmp_path / "other-ca")
    check = stranger.validate(data)
    assert check.signed and not check.trusted and not check.valid


@pytest.mark.django_db
def test_the_public_page_checks_the_stored_hash_and_the_signature_and_names_the_signer(client, decided, subject):
    document = CaseDocument.objects.get(case=decided, kind="penalty_decision")
    data = _bytes(document)
    url = f"/cases/verify/{document.verify_token}/"
    body = client.post(url, {"file": SimpleUploadedFile("d.pdf", data, "application/pdf")}).content.decode()
    assert 'data-result="match"' in body and 'data-signature="valid"' in body and subject.name in body
    tampered = bytearray(data)
    tampered[len(data) // 2] ^= 0x01
    body = client.post(url, {"file": SimpleUploadedFile("d.pdf", bytes(tampered), "application/pdf")}).content.decode()
    assert 'data-result="no-match"' in body and 'data-signature="invalid"' in body


@pytest.mark.django_db
def test_the_subject_admin_shows_the_list_and_the_history(admin_client, subject):
    assert admin_client.get("/admin/cases/enforcementsubject/").status_code == 200
    assert admin_client.get(f"/admin/cases/enforcementsubject/{subject.pk}/history/").status_code == 200
