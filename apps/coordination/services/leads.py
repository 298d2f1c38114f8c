"""The steps of a case lead (线索移送). Handed out: create (draft, with documents and evidence), send (the evidence bundle
is made and kept), the department's receipt, its answer (accepted, or refused with a reason), its result, close. Taken
in: register, then accept (it becomes a dispatch task or an enforcement case through their services) or refuse with a
reason. And the deadline sweep: a reminder before the receipt or result is due, a warning once it is overdue.

Each step asks the policy (403 for the wrong person, 409 for the wrong moment), changes the lead, logs it and
completes the open Viewflow step under its lock. A receiving department acts itself, or our coordinators record its
act on its behalf with a reference (``*_for`` steps).
"""
import datetime as dt
import hashlib
import json
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.jurisdiction import covers_code
from apps.cases import services as case_services
from apps.cases.models import Case
from apps.coordination import events
from apps.coordination.flows import LeadFlow
from apps.coordination.models import Direction, Lead, LeadDocument, LeadLog, LeadSequence, Outcome, Status
from apps.coordination.policy import LEADS
from apps.coordination.selectors import leads_to_watch
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Source as TaskSource
from apps.evidence.bundle import build_bundle, bundle_file_name
from apps.evidence.selectors import evidence_for_subject
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.files import save_field_file_atomic
from apps.gbcp.workcalendar import WORKING_DAYS, add_deadline
from apps.workflow.sequences import next_value
from apps.workflow.steps import step_complete

NO_PROCESS = gettext_lazy("This case lead has no workflow.")
MAX_RECEIPT_DAYS = 30
MAX_FEEDBACK_DAYS = 180
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


# --- shared pieces -----------------------------------------------------------------------------------------------------


def _locked(lead_id) -> Lead:
    return Lead.objects.select_for_update(of=("self",)).select_related("organization", "department", "created_by").get(pk=lead_id)


def _complete(lead, node, user, mutate) -> None:
    step_complete(subject=lead, node=node, user=user, mutate=mutate, subject_label="case lead", no_process_message=NO_PROCESS)


def _required(value, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ApplicationError(message, code=f"{field}_required", details={field: [_("This field is required.")]})
    return text


def _days(value, field: str, maximum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        raise ApplicationError(_("Give 1 to %(max)d working days.") % {"max": maximum}, code=f"invalid_{field}",
                               details={field: [_("1 to %(max)d.") % {"max": maximum}]})
    return value


def _next_number(direction: str, now) -> str:
    """移送 numbers per year: ``YS2026-00001`` for leads handed out, ``JS2026-00001`` for those taken in."""
    year = timezone.localtime(now).year
    prefix = "YS" if direction == Direction.OUT else "JS"
    return f"{prefix}{year}-{next_value(LeadSequence, f'{prefix}{year}'):05d}"


def _by_department_or_for(user, lead, step: str, reference: str) -> tuple[bool, str]:
    """(on behalf, reference): the department's own staff act on ``step``; our coordinators on ``step_for``, and then
    say where the department's act is written (its letter, the call)."""
    if LEADS.may_act(user, step, lead):
        LEADS.require(user=user, step=step, subject=lead)
        return False, (reference or "").strip()
    LEADS.require(user=user, step=f"{step}_for", subject=lead)
    return True, _required(reference, "reference", _("Say where the department's answer is written (its letter or the call)."))


def _region_code(*, organization, task=None, case=None, place=None) -> str:
    for subject in (case, task):
        if subject is not None and subject.region_code:
            return subject.region_code
    if place is not None and place.region_id:
        return place.region.code
    return organization.region.code


def _check_department(department):
    if department.kind != department.Kind.FUNCTIONAL_DEPARTMENT:
        raise ApplicationError(_("A lead goes to or comes from another department."), code="not_a_department",
                               details={"department": [_("Choose a functional department.")]})


# --- handed out --------------------------------------------------------------------------------------------------------


@transaction.atomic
def lead_create(*, user, organization, department, title: str, facts: str, legal_basis: str = "", task=None, case=None, place=None,
                evidence=(), attach_linked_evidence: bool = False, receipt_days: int = 3, feedback_days: int = 30) -> Lead:
    """A draft lead to hand out. ``task``, ``case``, ``place`` and ``evidence`` are resolved by the caller among what the
    user may see; with ``attach_linked_evidence`` the evidence of the linked task and case is attached too."""
    title = _required(title, "title", _("A lead needs a title."))
    facts = _required(facts, "facts", _("Describe the facts of the lead."))
    _check_department(department)
    receipt_days = _days(receipt_days, "receipt_days", MAX_RECEIPT_DAYS)
    feedback_days = _days(feedback_days, "feedback_days", MAX_FEEDBACK_DAYS)
    region_code = _region_code(organization=organization, task=task, case=case, place=place)
    LEADS.require(user=user, step="create", subject=Lead(region_code=region_code, organization=organization, department=department,
                                                         direction=Direction.OUT))
    items = {e.pk: e for e in evidence}
    for e in items.values():
        if not covers_code(user, e.region_code):
            raise ApplicationError(_("Evidence %(id)s does not exist.") % {"id": e.pk}, code="evidence_not_found",
                                   details={"evidence": [_("does not exist")]})
    if attach_linked_evidence:
        for subject in (task, case):
            if subject is not None:
                items.update({e.pk: e for e in evidence_for_subject(subject=subject)})
    now = timezone.now()
    with acting_as(user):
        lead = Lead.objects.create(
            number=_next_number(Direction.OUT, now), direction=Direction.OUT, status=Status.DRAFT, organization=organization,
            department=department, region_code=region_code, title=title[:200], facts=facts, legal_basis=(legal_basis or "").strip()[:255],
            task=task, case=case, place=place, receipt_days=receipt_days, feedback_days=feedback_days, created_at=now,
            created_by=user if getattr(user, "pk", None) else None,
        )
        if items:
            lead.evidence.set(list(items.values()))
        LeadLog.record(lead, "create", user, department=department.name, evidence=sorted(items))
        lead.process = LeadFlow.start.run(lead=lead)
    return lead


@transaction.atomic
def lead_document_add(*, user, lead: Lead, file, name: str = "") -> LeadDocument:
    """A PDF sent with the lead (移送函, 证据清单); added while it is a draft, so the bundle holds it."""
    lead = _locked(lead.pk)
    LEADS.require(user=user, step="document", subject=lead)
    size = getattr(file, "size", None) or 0
    if not size or size > MAX_DOCUMENT_BYTES:
        raise ApplicationError(_("A document is a PDF of at most 20 MB."), code="document_invalid", details={"file": [_("empty or too large")]})
    file.seek(0)
    if file.read(5) != b"%PDF-":
        raise ApplicationError(_("A document is a PDF of at most 20 MB."), code="document_invalid", details={"file": [_("not a PDF")]})
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    label = (name or getattr(file, "name", "") or "document.pdf").strip()[:200]
    with acting_as(user):
        document = LeadDocument(lead=lead, name=label, sha256=digest.hexdigest(), size=size, uploaded_by=user if getattr(user, "pk", None) else None)
        save_field_file_atomic(document.file, f"coordination/leads/{lead.pk}/{digest.hexdigest()[:16]}.pdf", File(file))
        document.save()
        LeadLog.record(lead, "document", user, name=label, sha256=document.sha256)
    return document


def _manifest(lead, evidence, documents) -> dict:
    return {
        "number": lead.number, "title": lead.title, "facts": lead.facts, "legal_basis": lead.legal_basis,
        "from": lead.organization.name, "to": lead.department.name, "region_code": lead.region_code,
        "task": lead.task.number if lead.task_id else None, "case": lead.case.number if lead.case_id else None,
        "sent_at": lead.sent_at.isoformat(), "receipt_due": lead.receipt_due.isoformat(),
        "evidence": [{"id": e.pk, "sha256": e.sha256, "file": f"evidence/{bundle_file_name(e)[:-4]}-bundle.zip",
                      "original_name": e.original_name, "recorded_at": e.recorded_at.isoformat()} for e in evidence],
        "documents": [{"name": d.name, "sha256": d.sha256, "file": f"documents/{d.pk}.pdf"} for d in documents],
    }


BUNDLE_README = """线索移送材料包 / Case lead hand-over bundle
lead.json: the lead as sent (移送事实、双方单位、证据与文书清单及其 SHA-256)
evidence/*-bundle.zip: one offline-verifiable evidence bundle each (see README.txt inside; 每份证据各含存证核验包)
documents/*.pdf: the documents sent with the lead (移送文书)
"""


def _build_bundle(lead):
    """A zip of the lead's manifest, each evidence item's verification bundle and its documents; (file, sha256)."""
    evidence = list(lead.evidence.select_related("log_entry").order_by("pk"))
    documents = list(lead.documents.order_by("pk"))
    out = tempfile.TemporaryFile()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", BUNDLE_README)
        zf.writestr("lead.json", json.dumps(_manifest(lead, evidence, documents), ensure_ascii=False, indent=2))
        for item in evidence:
            try:
                inner = build_bundle(item)
            except Exception as exc:  # an evidence item the log cannot prove (not yet appended): nothing is sent
                raise ApplicationError(_("Evidence %(id)s cannot be proven yet; try again later.") % {"id": item.pk},
                                       code="evidence_unprovable", status_code=409) from exc
            with inner, zf.open(f"evidence/{bundle_file_name(item)[:-4]}-bundle.zip", "w", force_zip64=True) as dst:
                for chunk in iter(lambda: inner.read(1 << 20), b""):
                    dst.write(chunk)
        for document in documents:
            with document.file.open("rb") as src, zf.open(f"documents/{document.pk}.pdf", "w") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    dst.write(chunk)
    out.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: out.read(1 << 20), b""):
        digest.update(chunk)
    out.seek(0)
    return out, digest.hexdigest()


@transaction.atomic
def lead_send(*, user, lead: Lead) -> Lead:
    """Hand the lead over: its bundle is made and kept (the department downloads it through an access check), the
    receipt deadline starts and the department is told."""
    lead = _locked(lead.pk)
    LEADS.require(user=user, step="send", subject=lead)
    now = timezone.now()
    with acting_as(user):
        def mutate():
            lead.status, lead.sent_at = Status.SENT, now
            lead.receipt_due = add_deadline(now, lead.receipt_days, WORKING_DAYS)
            bundle, digest = _build_bundle(lead)
            with bundle:
                save_field_file_atomic(lead.bundle, f"coordination/leads/{lead.pk}/{lead.number}.zip", File(bundle))
            lead.bundle_sha256 = digest
            lead.save()
            LeadLog.record(lead, "send", user, department=lead.department.name, bundle_sha256=digest,
                           receipt_due=lead.receipt_due.isoformat())

        _complete(lead, LeadFlow.send, user, mutate)
    events.lead_sent(lead)
    return lead


@transaction.atomic
def lead_acknowledge(*, user, lead: Lead, signed_by: str = "", reference: str = "") -> Lead:
    """The department signs for the lead (签收), or our coordinator records its receipt with a reference."""
    lead = _locked(lead.pk)
    on_behalf, reference = _by_department_or_for(user, lead, "acknowledge", reference)
    signer = (signed_by or "").strip()[:64] or (str(user) if not on_behalf else "")
    if on_behalf and not signer:
        signer = _required(signed_by, "signed_by", _("Who signed for the department?"))
    with acting_as(user):
        def mutate():
            lead.status, lead.received_at = Status.RECEIVED, timezone.now()
            lead.receipt_by, lead.receipt_reference = signer, reference[:64]
            lead.save()
            LeadLog.record(lead, "acknowledge", user, reason=reference, signed_by=signer, on_behalf=on_behalf)

        _complete(lead, LeadFlow.acknowledge, user, mutate)
    return lead


@transaction.atomic
def lead_answer(*, user, lead: Lead, accepted: bool, reason: str = "", reference: str = "") -> Lead:
    """The department accepts the lead (the result deadline starts) or refuses it with a reason."""
    if not accepted:
        reason = _required(reason, "reason", _("A refusal needs a reason."))
    lead = _locked(lead.pk)
    on_behalf, reference = _by_department_or_for(user, lead, "answer", reference)
    now = timezone.now()
    with acting_as(user):
        def mutate():
            lead.answered_at = now
            if accepted:
                lead.status, lead.feedback_due = Status.ACCEPTED, add_deadline(now, lead.feedback_days, WORKING_DAYS)
            else:
                lead.status, lead.refusal_reason = Status.REFUSED, reason
            lead.save()
            LeadLog.record(lead, "accept" if accepted else "refuse", user, reason=reason if not accepted else reference,
                           reference=reference, on_behalf=on_behalf)

        _complete(lead, LeadFlow.answer, user, mutate)
    events.lead_answered(lead)
    return lead


@transaction.atomic
def lead_feedback(*, user, lead: Lead, result: str, reference: str = "") -> Lead:
    """The department feeds back what became of the lead (立案、处罚、不予处罚…)."""
    result = _required(result, "result", _("Say what became of the lead."))
    lead = _locked(lead.pk)
    on_behalf, reference = _by_department_or_for(user, lead, "feedback", reference)
    with acting_as(user):
        def mutate():
            lead.status, lead.result, lead.result_at = Status.RESULT, result, timezone.now()
            lead.save()
            LeadLog.record(lead, "feedback", user, reason=result, reference=reference, on_behalf=on_behalf)

        _complete(lead, LeadFlow.feedback, user, mutate)
    return lead


@transaction.atomic
def lead_close(*, user, lead: Lead, note: str = "") -> Lead:
    lead = _locked(lead.pk)
    LEADS.require(user=user, step="close", subject=lead)
    with acting_as(user):
        def mutate():
            lead.status, lead.closed_at = Status.CLOSED, timezone.now()
            lead.save()
            LeadLog.record(lead, "close", user, reason=(note or "").strip())

        _complete(lead, LeadFlow.close, user, mutate)
    return lead


# --- taken in ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def lead_register(*, user, organization, department, title: str, facts: str, external_ref: str = "", legal_basis: str = "",
                  place=None) -> Lead:
    """A lead from another department is registered (登记) by our coordinator, awaiting acceptance."""
    title = _required(title, "title", _("A lead needs a title."))
    facts = _required(facts, "facts", _("Describe the facts of the lead."))
    _check_department(department)
    region_code = _region_code(organization=organization, place=place)
    LEADS.require(user=user, step="create", subject=Lead(region_code=region_code, organization=organization, department=department,
                                                         direction=Direction.IN))
    now = timezone.now()
    with acting_as(user):
        lead = Lead.objects.create(
            number=_next_number(Direction.IN, now), direction=Direction.IN, status=Status.REGISTERED, organization=organization,
            department=department, region_code=region_code, title=title[:200], facts=facts, legal_basis=(legal_basis or "").strip()[:255],
            external_ref=(external_ref or "").strip()[:64], place=place, received_at=now, created_at=now,
            created_by=user if getattr(user, "pk", None) else None,
        )
        LeadLog.record(lead, "register", user, department=department.name, external_ref=lead.external_ref)
        lead.process = LeadFlow.start.run(lead=lead)
    events.lead_registered(lead)
    return lead


@transaction.atomic
def lead_accept_in(*, user, lead: Lead, outcome: str, category=None, cause=None) -> Lead:
    """Accept a lead taken in: it becomes a dispatch task (through the intake service, once per lead) or an enforcement
    case (through the cases service; its opener must be an officer or squad leader of a squad)."""
    if outcome not in Outcome.values:
        raise ApplicationError(_("Choose what the lead becomes: a task or a case."), code="outcome_required",
                               details={"outcome": [_("task or case")]})
    lead = _locked(lead.pk)
    LEADS.require(user=user, step="accept_in", subject=lead)
    place = lead.place
    text = f"{lead.title}\n{lead.facts}\n（{lead.department.name}移送，{_('reference')}：{lead.external_ref or lead.number}）"
    with acting_as(user):
        def mutate():
            if outcome == Outcome.TASK:
                result = dispatch_services.task_intake(
                    user=user, source=TaskSource.DISPATCHER, description=text, point=place.point if place is not None else None,
                    place=place, address=getattr(place, "address", "") or "", category=category, external_ref=lead.number)
                lead.task = result.task
            else:
                lead.case = case_services.case_open(user=user, source=Case.Source.REFERRAL, cause=cause, place=place, facts=text,
                                                    source_ref=lead.number)
            lead.status, lead.outcome, lead.answered_at = Status.ACCEPTED, outcome, timezone.now()
            lead.save()
            LeadLog.record(lead, "accept", user, outcome=outcome, task=lead.task.number if lead.task_id else None,
                           case=lead.case.number if lead.case_id else None)

        _complete(lead, LeadFlow.decide, user, mutate)
    return lead


@transaction.atomic
def lead_refuse_in(*, user, lead: Lead, reason: str) -> Lead:
    reason = _required(reason, "reason", _("A refusal needs a reason."))
    lead = _locked(lead.pk)
    LEADS.require(user=user, step="refuse_in", subject=lead)
    with acting_as(user):
        def mutate():
            lead.status, lead.refusal_reason, lead.answered_at = Status.REFUSED, reason, timezone.now()
            lead.save()
            LeadLog.record(lead, "refuse", user, reason=reason)

        _complete(lead, LeadFlow.decide, user, mutate)
    return lead


# --- deadlines ---------------------------------------------------------------------------------------------------------


def leads_sweep(*, now=None) -> dict:
    """A reminder once when the receipt or the result falls due within ``COORDINATION_REMINDER_HOURS``, a warning once
    when it is overdue; both sides hear of it. Safe to run again: each is sent once per lead."""
    now = now or timezone.now()
    horizon = dt.timedelta(hours=settings.COORDINATION_REMINDER_HOURS)
    counts = {"receipt_reminder": 0, "receipt_overdue": 0, "feedback_reminder": 0, "feedback_overdue": 0}
    for lead in leads_to_watch(now=now, horizon=horizon):
        stage, due = ("receipt", lead.receipt_due) if lead.status == Status.SENT else ("feedback", lead.feedback_due)
        kind = f"{stage}_overdue" if now >= due else f"{stage}_reminder"
        if kind in (lead.alerts_sent or []):
            continue
        with transaction.atomic():
            fresh = _locked(lead.pk)
            if kind in (fresh.alerts_sent or []) or fresh.status != lead.status:
                continue
            # The warnings sent are bookkeeping (excluded from history); the update keeps them off the lead's record.
            Lead.objects.filter(pk=fresh.pk).update(alerts_sent=[*(fresh.alerts_sent or []), kind])
            LeadLog.record(fresh, kind, None, due=due.isoformat())
            events.lead_deadline(fresh, kind)
            counts[kind] += 1
    return counts


__all__ = [
    "lead_accept_in", "lead_acknowledge", "lead_answer", "lead_close", "lead_create", "lead_document_add", "lead_feedback",
    "lead_refuse_in", "lead_register", "lead_send", "leads_sweep",
]
