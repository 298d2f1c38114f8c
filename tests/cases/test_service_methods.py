"""Service (送达, art. 61 + Civil Procedure Law): each method with its proof, the announcement's 30 days,
and the proof printed on the service receipt."""
import datetime as dt
import shutil
import subprocess

import pytest
from django.utils import timezone

from apps.cases import services
from apps.cases.models import CaseDocument, Status
from apps.cases.service_methods import clean_proof
from apps.gbcp.errors import ApplicationError


@pytest.mark.parametrize("method, proof, field", [
    ("on_the_spot", {}, "recipient"),
    ("left", {"refusal": "当事人拒绝签收"}, "witness"),
    ("left", {"witness": "社区工作人员王五"}, "refusal"),
    ("post", {}, "tracking_number"),
    ("electronic", {"address": "zhang@example.com"}, "consent_ref"),
    ("public", {"medium": "区政府网站", "published_on": "2026-10-01"}, "reason"),
])
def test_each_method_needs_its_proof(method, proof, field):
    with pytest.raises(ApplicationError) as missing:
        clean_proof(method, proof)
    assert missing.value.code == "proof_required" and field in missing.value.details


def test_a_tracking_number_is_letters_and_digits_and_evidence_must_be_the_cases_own():
    with pytest.raises(ApplicationError) as bad:
        clean_proof("post", {"tracking_number": "12-34"})
    assert bad.value.code == "invalid_tracking_number"
    assert clean_proof("post", {"tracking_number": "ems 1234567890cn"})[0] == {"tracking_number": "EMS1234567890CN"}
    with pytest.raises(ApplicationError) as foreign:
        clean_proof("left", {"refusal": "拒收", "evidence": "99"}, evidence_ids=[1, 2])
    assert foreign.value.code == "invalid_evidence"
    assert clean_proof("left", {"refusal": "拒收", "evidence": 2}, evidence_ids=[1, 2])[0]["evidence"] == "2"


def test_an_announcement_counts_as_served_thirty_days_after_publication():
    proof, served_at = clean_proof("public", {"medium": "区政府网站", "published_on": dt.date(2026, 9, 1), "reason": "下落不明"})
    assert timezone.localtime(served_at).date() == dt.date(2026, 10, 1) and proof["served_on"] == "2026-10-01"


@pytest.fixture
def decided(investigating, officer1, legal, leader):
    services.case_set_penalty(user=officer1, case=investigating, level="ordinary", fine="3000", departure_reason="经营面积较大")
    services.case_submit_review(user=officer1, case=investigating)
    services.case_legal_review(user=legal, case=investigating, passed=True)
    services.case_leader_approve(user=leader, case=investigating)
    case = services.case_notify(user=officer1, case=investigating)
    return services.case_decide(user=leader, case=case)


@pytest.mark.django_db
def test_an_announcement_still_running_is_refused_and_one_past_thirty_days_serves_and_starts_the_fifteen_days(decided, officer1):
    running = {"medium": "区政府网站", "published_on": (timezone.localdate() - dt.timedelta(days=10)).isoformat(), "reason": "下落不明"}
    with pytest.raises(ApplicationError) as early:
        services.case_serve(user=officer1, case=decided, method="public", proof=running)
    assert early.value.code == "announcement_running"
    published = timezone.localdate() - dt.timedelta(days=31)
    type(decided).objects.filter(pk=decided.pk).update(decided_at=timezone.now() - dt.timedelta(days=40))  # published after the decision
    case = services.case_serve(user=officer1, case=decided, method="public", proof={**running, "published_on": published.isoformat()})
    assert case.status == Status.EXECUTING and timezone.localtime(case.served_at).date() == published + dt.timedelta(days=30)
    assert case.payment_due == published + dt.timedelta(days=45)
    assert case.service_proof["medium"] == "区政府网站"


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_the_service_receipt_prints_the_postal_number(decided, officer1):
    case = services.case_serve(user=officer1, case=decided, method="post", proof={"tracking_number": "EMS1234567890CN"})
    receipt = CaseDocument.objects.get(case=case, kind="service_receipt")
    with receipt.file.open("rb") as f:
        text = subprocess.run(["pdftotext", "-", "-"], input=f.read(), capture_output=True, check=True).stdout.decode()
    assert "邮件号码" in text and "EMS1234567890CN" in text.replace(" ", "")
    assert case.logs.get(action="serve").data["proof"] == {"tracking_number": "EMS1234567890CN"}


@pytest.mark.django_db
def test_the_serve_api_takes_the_proof_and_answers_its_absence_in_the_one_error_format(client, decided, officer1):
    client.force_login(officer1)
    missing = client.post(f"/api/cases/{decided.pk}/serve/", {"method": "post"}, content_type="application/json")
    assert missing.status_code == 400 and "tracking_number" in missing.content.decode()
    served = client.post(f"/api/cases/{decided.pk}/serve/", {"method": "post", "proof": {"tracking_number": "EMS1234567890CN"}},
                         content_type="application/json")
    assert served.status_code == 200, served.content
