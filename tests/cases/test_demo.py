"""The demo cases: every state of both procedures in 东城, one elsewhere; a second seed changes nothing."""
import pytest

from apps.cases.models import Case, CaseCause, CaseDocument, Status


@pytest.mark.django_db
def test_the_demo_has_cases_in_every_state_with_documents_and_evidence():
    from apps.evidence.selectors import evidence_for_subject

    statuses = set(Case.objects.filter(region_code__startswith="110101").values_list("status", flat=True))
    assert set(Status.values) <= statuses
    assert Case.objects.filter(region_code__startswith="110108").exists()
    assert CaseCause.objects.filter(code="11-001", citation_confirmed=False).exists()
    assert CaseDocument.objects.filter(kind="closing_report").exists()
    assert any(evidence_for_subject(subject=c).exists() for c in Case.objects.filter(status=Status.INVESTIGATING))


@pytest.mark.django_db
def test_a_second_demo_seed_changes_no_case_and_no_cause():
    from apps.cases import demo
    from apps.gbcp.demo.seed import DemoContext

    before = (Case.objects.count(), CaseCause.objects.count(), CaseDocument.objects.count(), CaseCause.history.count(), Case.history.count())
    ctx = DemoContext.__new__(DemoContext)
    ctx.say = lambda *a, **k: None
    demo.seed(ctx)
    after = (Case.objects.count(), CaseCause.objects.count(), CaseDocument.objects.count(), CaseCause.history.count(), Case.history.count())
    assert before == after


@pytest.mark.django_db
def test_the_catalogue_loader_keeps_a_cause_the_legal_office_confirmed():
    from apps.cases import services

    cause = CaseCause.objects.get(code="11-001")
    cause.name, cause.citation_confirmed = "法制科确认的名称", True
    cause.save()
    counts = services.catalogue_load(user=None)
    cause.refresh_from_db()
    assert cause.name == "法制科确认的名称" and counts["kept_confirmed"] == 1 and counts["created"] == 0


@pytest.mark.django_db
def test_the_legal_office_confirms_citations_with_history_and_a_reload_keeps_them(legal):
    from apps.cases.services import catalogue_load, cause_confirm_citations

    cause = CaseCause.objects.get(code="01-001")
    assert cause_confirm_citations(user=legal, causes=[cause]) == 1
    assert cause_confirm_citations(user=legal, causes=[cause]) == 0
    cause.refresh_from_db()
    assert cause.citation_confirmed and cause.history.first().history_user == legal
    CaseCause.objects.filter(pk=cause.pk).update(legal_basis="由法制机构核定的依据")
    result = catalogue_load(user=legal)
    cause.refresh_from_db()
    assert cause.legal_basis == "由法制机构核定的依据" and result["kept_confirmed"] >= 1
