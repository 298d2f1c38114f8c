"""Objections: the business concerned objects, a legal reviewer of its jurisdiction decides; upheld withdraws the record."""
import pytest
from django.contrib.auth.models import AnonymousUser

from apps.credit import services
from apps.credit.models import CreditRecord, EntityGrade, Objection
from apps.gbcp.errors import ApplicationError, NotFound
from tests.personas import five_callers


@pytest.fixture
def finding(business):
    record = services.record_inspection_finding(entity=business, source_ref="test.Finding:500", reason="店外经营")
    services.recompute_grade(entity=business)
    return record


@pytest.mark.django_db
def test_only_the_business_concerned_may_object(finding, own_merchant, dongcheng):
    callers = five_callers(role="legal_reviewer", organization=dongcheng)
    with pytest.raises(NotFound):
        services.objection_submit(user=callers.merchant, record=finding, text="不是我们")  # another business's merchant
    for user in (callers.insider, callers.outsider, callers.citizen, AnonymousUser()):
        with pytest.raises(ApplicationError) as refused:
            services.objection_submit(user=user, record=finding, text="不是我们")
        assert refused.value.status_code == 403
    with pytest.raises(ApplicationError) as empty:
        services.objection_submit(user=own_merchant, record=finding, text="  ")
    assert empty.value.code == "text_required"
    objection = services.objection_submit(user=own_merchant, record=finding, text="当日未营业")
    assert objection.status == Objection.Status.SUBMITTED and objection.region_code == finding.region_code
    with pytest.raises(ApplicationError) as twice:
        services.objection_submit(user=own_merchant, record=finding, text="再次")
    assert (twice.value.status_code, twice.value.code) == (409, "objection_open")


@pytest.mark.django_db
def test_an_upheld_objection_withdraws_the_record_and_regrades(finding, own_merchant, reviewer, outside_reviewer, business,
                                                                django_capture_on_commit_callbacks):
    assert EntityGrade.objects.get(entity=business).score == 77
    objection = services.objection_submit(user=own_merchant, record=finding, text="当日未营业")
    with pytest.raises(NotFound):
        services.objection_decide(user=outside_reviewer, objection=objection, upheld=True, reason="x")
    with pytest.raises(ApplicationError) as own:
        services.objection_decide(user=own_merchant, objection=objection, upheld=True, reason="x")
    assert own.value.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.objection_decide(user=reviewer, objection=objection, upheld=True, reason="核实当日停业")
    finding.refresh_from_db()
    assert decided.status == Objection.Status.UPHELD and decided.decided_by == reviewer and decided.decision_reason == "核实当日停业"
    assert finding.status == CreditRecord.Status.WITHDRAWN
    assert EntityGrade.objects.get(entity=business).score == 80
    with pytest.raises(ApplicationError) as again:
        services.objection_decide(user=reviewer, objection=decided, upheld=False, reason="x")
    assert (again.value.status_code, again.value.code) == (409, "illegal_step")


@pytest.mark.django_db
def test_a_rejected_objection_leaves_the_record_in_force(finding, own_merchant, reviewer, business):
    objection = services.objection_submit(user=own_merchant, record=finding, text="不服")
    with pytest.raises(ApplicationError) as no_reason:
        services.objection_decide(user=reviewer, objection=objection, upheld=False, reason="")
    assert no_reason.value.code == "reason_required"
    decided = services.objection_decide(user=reviewer, objection=objection, upheld=False, reason="有照片为证")
    finding.refresh_from_db()
    assert decided.status == Objection.Status.REJECTED and finding.status == CreditRecord.Status.ACTIVE
    assert [h.status for h in Objection.history.filter(id=objection.pk).order_by("history_date")] == ["submitted", "rejected"]
    # Once decided, the business may object again (new facts).
    assert services.objection_submit(user=own_merchant, record=finding, text="补充证据").pk != objection.pk


@pytest.mark.django_db
def test_reviewers_of_the_jurisdiction_hear_of_an_objection_and_the_business_of_the_decision(finding, own_merchant, reviewer, outside_reviewer):
    from apps.realtime.models import Notification

    objection = services.objection_submit(user=own_merchant, record=finding, text="当日未营业")
    told = set(Notification.objects.filter(event="credit.objection").values_list("recipient_id", flat=True))
    assert reviewer.pk in told and outside_reviewer.pk not in told and own_merchant.pk not in told
    services.objection_decide(user=reviewer, objection=objection, upheld=False, reason="有照片为证")
    assert Notification.objects.filter(event="credit.objection", recipient=own_merchant, payload__status="rejected").exists()
