"""The case lead driven step by step through the services, with Viewflow underneath: handed out (draft, send with its
bundle, receipt by the department or on its behalf, accepted with a result or refused with a reason, closed) and taken
in (registered, then accepted as a task or a case, or refused); and the deadline sweep."""
import datetime as dt
import io
import json
import zipfile

import pytest
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import PROCESS, STATUS

from apps.cases.models import Case
from apps.coordination import services
from apps.coordination.models import Lead, LeadLog, Outcome, Status
from apps.dispatch.models import Task
from apps.gbcp.errors import ApplicationError
from apps.realtime.models import Notification
from tests.coordination.conftest import ID_NUMBER, PHONE

pytestmark = pytest.mark.django_db


def open_steps(lead):
    return sorted(t.flow_task.name for t in FlowTask.objects.filter(process_id=lead.process_id, status__in=[STATUS.NEW, STATUS.ASSIGNED]))


def _refused(call, code, status):
    with pytest.raises(ApplicationError) as refused:
        call()
    assert (refused.value.code, refused.value.status_code) == (code, status)


@pytest.fixture
def draft(dispatcher, bureau, market, task, photo):
    return services.lead_create(user=dispatcher, organization=bureau, department=market, title="无证经营熟食摊点移送市场监管",
                                facts="东华门大街一摊点无营业执照经营熟食。", legal_basis="《无证无照经营查处办法》第二条", task=task,
                                attach_linked_evidence=True, receipt_days=2, feedback_days=20)


def test_a_lead_handed_out_goes_through_every_step_and_its_bundle_is_kept(draft, dispatcher, liaison, pdf, photo):
    lead = draft
    assert lead.status == Status.DRAFT and lead.number.startswith("YS") and open_steps(lead) == ["send"]
    assert lead.region_code.startswith("110101001") and list(lead.evidence.all()) == [photo]
    services.lead_document_add(user=dispatcher, lead=lead, file=pdf)
    _refused(lambda: services.lead_acknowledge(user=liaison, lead=lead), "illegal_step", 409)
    _refused(lambda: services.lead_send(user=liaison, lead=lead), "forbidden", 403)

    services.lead_send(user=dispatcher, lead=lead)
    lead.refresh_from_db()
    assert lead.status == Status.SENT and lead.receipt_due > lead.sent_at and open_steps(lead) == ["acknowledge"]
    assert Notification.objects.filter(recipient=liaison, event="coordination.lead_sent").exists()
    with lead.bundle.open("rb") as f:
        data = f.read()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(archive.namelist())
    assert "lead.json" in names and any(n.startswith("evidence/") and n.endswith("-bundle.zip") for n in names)
    assert any(n.startswith("documents/") for n in names)
    manifest = json.loads(archive.read("lead.json"))
    assert manifest["evidence"][0]["sha256"] == photo.sha256 and manifest["to"] == lead.department.name
    inner = zipfile.ZipFile(io.BytesIO(archive.read(manifest["evidence"][0]["file"])))
    assert {"entry.json", "proof.json", "tree_head.json", "public_key.pem"} <= set(inner.namelist())
    _refused(lambda: services.lead_document_add(user=dispatcher, lead=lead, file=pdf), "illegal_step", 409)

    services.lead_acknowledge(user=liaison, lead=lead)
    assert open_steps(lead) == ["answer"]
    _refused(lambda: services.lead_answer(user=liaison, lead=lead, accepted=False, reason=" "), "reason_required", 400)
    services.lead_answer(user=liaison, lead=lead, accepted=True)
    lead.refresh_from_db()
    assert lead.status == Status.ACCEPTED and lead.feedback_due > lead.answered_at and open_steps(lead) == ["feedback"]
    assert Notification.objects.filter(recipient=dispatcher, event="coordination.lead_answered").exists()
    _refused(lambda: services.lead_feedback(user=liaison, lead=lead, result=""), "result_required", 400)
    services.lead_feedback(user=liaison, lead=lead, result="已立案查处，罚款5000元")
    _refused(lambda: services.lead_close(user=liaison, lead=lead), "forbidden", 403)
    services.lead_close(user=dispatcher, lead=lead)

    lead.refresh_from_db()
    assert lead.status == Status.CLOSED and lead.process.status == PROCESS.DONE
    assert list(LeadLog.objects.filter(lead=lead).values_list("action", flat=True)) == [
        "create", "document", "send", "acknowledge", "accept", "feedback", "close"]
    owners = {t.flow_task.name: t.owner for t in FlowTask.objects.filter(process_id=lead.process_id, status=STATUS.DONE) if t.owner}
    assert owners["send"] == dispatcher and owners["answer"] == liaison
    assert lead.history.filter(history_user=liaison).exists()


def test_our_staff_record_the_departments_acts_with_a_reference_and_a_refusal_needs_a_reason(draft, dispatcher):
    lead = services.lead_send(user=dispatcher, lead=draft)
    _refused(lambda: services.lead_acknowledge(user=dispatcher, lead=lead, signed_by="李某"), "reference_required", 400)
    services.lead_acknowledge(user=dispatcher, lead=lead, signed_by="李某", reference="东市监函〔2026〕12号")
    lead.refresh_from_db()
    assert (lead.receipt_by, lead.receipt_reference) == ("李某", "东市监函〔2026〕12号")
    _refused(lambda: services.lead_answer(user=dispatcher, lead=lead, accepted=False, reason="", reference="电话"), "reason_required", 400)
    services.lead_answer(user=dispatcher, lead=lead, accepted=False, reason="不属于本部门职责", reference="电话记录0312")
    lead.refresh_from_db()
    assert lead.status == Status.REFUSED and lead.refusal_reason == "不属于本部门职责" and open_steps(lead) == ["close"]
    services.lead_close(user=dispatcher, lead=lead, note="另行移送")
    lead.refresh_from_db()
    assert lead.status == Status.CLOSED and LeadLog.objects.get(lead=lead, action="refuse").data["on_behalf"] is True


def test_a_lead_taken_in_becomes_a_task_once(dispatcher, bureau, market):
    lead = services.lead_register(user=dispatcher, organization=bureau, department=market, title="市场监管移送：占道经营",
                                  facts="王府井大街北口占道经营", external_ref="东市监移〔2026〕3号")
    assert lead.status == Status.REGISTERED and lead.number.startswith("JS") and open_steps(lead) == ["decide"]
    services.lead_accept_in(user=dispatcher, lead=lead, outcome=Outcome.TASK)
    lead.refresh_from_db()
    assert lead.status == Status.ACCEPTED and lead.task is not None and lead.task.external_ref == lead.number
    assert Task.objects.filter(external_ref=lead.number).count() == 1 and lead.process.status == PROCESS.DONE
    _refused(lambda: services.lead_refuse_in(user=dispatcher, lead=lead, reason="重复"), "illegal_step", 409)


def test_a_lead_taken_in_becomes_a_case_opened_by_a_squad(squad_leader, squad, market, dispatcher, bureau):
    lead = services.lead_register(user=squad_leader, organization=squad, department=market, title="移送：违法建设", facts="院内私搭乱建")
    services.lead_accept_in(user=squad_leader, lead=lead, outcome=Outcome.CASE)
    lead.refresh_from_db()
    assert lead.case.source == Case.Source.REFERRAL and lead.case.source_ref == lead.number
    other = services.lead_register(user=dispatcher, organization=bureau, department=market, title="移送：噪声", facts="夜间施工")
    _refused(lambda: services.lead_accept_in(user=dispatcher, lead=other, outcome="nothing"), "outcome_required", 400)
    _refused(lambda: services.lead_refuse_in(user=dispatcher, lead=other, reason=""), "reason_required", 400)
    services.lead_refuse_in(user=dispatcher, lead=other, reason="非本局管辖")
    assert Lead.objects.get(pk=other.pk).status == Status.REFUSED


def test_bad_input_is_refused_and_changes_nothing(dispatcher, bureau, market, squad):
    before = Lead.objects.count()
    _refused(lambda: services.lead_create(user=dispatcher, organization=bureau, department=market, title="", facts="x"), "title_required", 400)
    _refused(lambda: services.lead_create(user=dispatcher, organization=bureau, department=market, title="t", facts="x", receipt_days=0),
             "invalid_receipt_days", 400)
    _refused(lambda: services.lead_create(user=dispatcher, organization=bureau, department=squad, title="t", facts="x"), "not_a_department", 400)
    assert Lead.objects.count() == before


def test_the_sweep_reminds_then_warns_once_each(draft, dispatcher, liaison):
    lead = services.lead_send(user=dispatcher, lead=draft)
    due = lead.receipt_due
    assert services.leads_sweep(now=due - dt.timedelta(hours=60))["receipt_reminder"] == 0
    assert services.leads_sweep(now=due - dt.timedelta(hours=2))["receipt_reminder"] == 1
    assert services.leads_sweep(now=due - dt.timedelta(hours=1))["receipt_reminder"] == 0
    assert services.leads_sweep(now=due + dt.timedelta(minutes=1))["receipt_overdue"] == 1
    assert services.leads_sweep(now=due + dt.timedelta(hours=5))["receipt_overdue"] == 0
    lead.refresh_from_db()
    assert lead.alerts_sent == ["receipt_reminder", "receipt_overdue"] and lead.overdue_at(due + dt.timedelta(minutes=1)) == "receipt"
    link = f"/coordination/leads/{lead.pk}/"
    assert Notification.objects.filter(recipient=liaison, event="coordination.receipt_overdue", link=link).count() == 1
    assert Notification.objects.filter(recipient=dispatcher, event="coordination.receipt_reminder", link=link).count() == 1


def test_the_fixture_data_is_real_looking():
    from apps.gbcp.validators import validate_phone, validate_resident_id

    validate_resident_id(ID_NUMBER)
    validate_phone(PHONE)
