"""Case PDFs: a document issued in a transaction that rolls back does not stay on disk."""
import pytest
from django.db import transaction

from apps.cases import documents, services
from apps.cases.models import CaseDocument

from .conftest import PERSON_ID


class Boom(Exception):
    pass


def pdfs(root):
    return sorted(p for p in root.rglob("*.pdf"))


@pytest.mark.django_db
def test_an_on_the_spot_decision_rolled_back_leaves_no_pdf(officer1, officer2, vendor_cause, dhm_place, tmp_path):
    with pytest.raises(Boom):
        with transaction.atomic():
            case = services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen",
                                               party_name="张三", party_code=PERSON_ID, amount="100", facts="在东华门大街占道经营",
                                               place=dhm_place)
            assert CaseDocument.objects.filter(case=case).exists() and pdfs(tmp_path)
            raise Boom()
    assert pdfs(tmp_path) == []


@pytest.mark.django_db
def test_a_document_issued_and_rolled_back_is_deleted_but_a_committed_one_stays(opened, tmp_path):
    with pytest.raises(Boom):
        with transaction.atomic():
            documents.issue(case=opened, kind="filing_approval")
            raise Boom()
    assert pdfs(tmp_path) == []
    kept = documents.issue(case=opened, kind="filing_approval")
    assert pdfs(tmp_path) == [tmp_path / kept.file.name]
