"""Staff pages of enforcement cases (list by status and deadline, queues of the legal reviewer, the leader
and the squad leader, the case file with its action forms, the on-the-spot form) and the public pages:
document verification and the local cashier."""
import hashlib
import secrets

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.decorators import staff_required
from apps.cases import forms, selectors, services
from apps.cases import signing as document_signing
from apps.cases.challenges import CaseChallenge
from apps.cases.models import CaseExtension, CaseLog
from apps.cases.payment_provider import get_provider, payment_secret, simulated_cashier_enabled
from apps.cases.pdf import DOCUMENT_KINDS
from apps.cases.policy import AFTER_DECISION, POLICIES, SIMPLE, cash_collection, policy_for
from apps.cases.services.challenges import default_organ
from apps.evidence.selectors import evidence_for_subject
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.files import send_file
from apps.gbcp.locate import make_point

PAGE_SIZE = 25
QUEUES = {"legal": _("Legal review queue"), "leader": _("Leader approval queue"), "squad": _("Squad leader queue"),
          "disclosure": _("Decisions to publish or withdraw (公示)")}
PUBLIC_PAGE_SIZE = 20


def _case_or_404(user, pk):
    try:
        return selectors.case_get_for_user(user=user, id=pk)
    except NotFound:
        raise Http404


@staff_required
def case_list(request, queue=None):
    if queue is not None and queue not in QUEUES:
        raise Http404
    form = forms.ListFilterForm(request.GET)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.case_list_for_user(user=request.user, status=f.get("status") or None, procedure=f.get("procedure") or None,
                                      mine=f.get("mine") or False, q=f.get("q") or None, queue=queue)
    if queue is None:
        qs = qs.order_by("decision_due", "-opened_at", "-id") if f.get("status") else qs
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {
        "form": form, "page": page, "cases": list(page.object_list), "queue": queue, "queue_title": QUEUES.get(queue, _("Cases")),
        "queues": QUEUES, "now": timezone.now(),
    })


def _actions(user, case) -> dict:
    """``{step: allowed}`` for every step of both procedures' tables (a simple case has no filing step, …)."""
    allowed = policy_for(case).actions(user, case)
    return {step.name: allowed.get(step.name, False) for policy in POLICIES.values() for step in policy}


# Steps shown as a bare button (no form), with the URL action that does them.
BUTTON_STEPS = ("onsite_file", "close", "archive")


@staff_required
def case_detail(request, pk):
    case = _case_or_404(request.user, pk)
    case = (
        selectors.case_list_for_user(user=request.user)
        .select_related("task", "place", "party_entity", "party_person")
        .prefetch_related(Prefetch("logs", queryset=CaseLog.objects.select_related("actor")), "records", "documents", "officers",
                          Prefetch("extensions", queryset=CaseExtension.objects.select_related("requested_by", "approved_by")),
                          Prefetch("challenges", queryset=CaseChallenge.objects.order_by("filed_on", "id")))
        .select_related("disclosure", "payment", "hearing_presiding", "cash_collection", "cash_collection__collected_by", "cash_collection__handed_in_by")
        .get(pk=case.pk)
    )
    can = _actions(request.user, case)
    after = AFTER_DECISION.actions(request.user, case)
    challenges = list(case.challenges.all())
    payment = getattr(case, "payment", None) if hasattr(case, "payment") else None
    fee = None
    if payment is not None and case.payment_due:
        fee = services.amount_due_on(case, timezone.localdate())[1]
    return render(request, "cases/case_detail.html", {
        "case": case, "can": can, "payment": payment, "late_fee": fee, "simulated_cashier": simulated_cashier_enabled(), "evidence": list(evidence_for_subject(subject=case)[:50]),
        "facts_form": forms.CaseFactsForm(initial={"cause": case.cause_id, "facts": case.facts, "party_kind": case.party_kind, "party_name": case.party_name,
                                                   "party_code": case.party_code, "party_address": case.party_address, "major": case.major, **(case.discretion_facts or {})}) if can["update"] else None,
        "penalty_form": forms.PenaltyForm(initial={"level": case.level or case.proposal.get("level"), "fine": case.fine or case.proposal.get("amount"),
                                                   "warning": case.warning, "exempt": case.exempt}) if can["penalty"] else None,
        "record_form": forms.RecordForm() if can["records"] else None,
        "officers_form": forms.OfficersForm(case=case, user=request.user) if can["officers"] else None,
        "review_form": forms.ReviewForm() if can["review"] else None,
        "discussion_form": forms.DiscussionForm() if can["discussion"] else None,
        "reason_form": forms.ReasonForm(),
        "statement_form": forms.StatementForm() if can["statement"] else None,
        "hearing_form": forms.HearingForm() if can["hearing"] else None,
        "hearing_schedule_form": forms.HearingScheduleForm(case=case, user=request.user) if can["hearing_schedule"] else None,
        "hearing_withdraw_form": forms.HearingWithdrawForm() if can["hearing_withdraw"] else None,
        "earliest_hearing_day": services.earliest_hearing_day(timezone.now()) if can["hearing_schedule"] else None,
        "payment_terms_form": forms.PaymentTermsForm() if can["payment_terms"] else None,
        "payment_terms_decide_form": forms.PaymentTermsDecideForm() if can["payment_terms_decide"] else None,
        "term_requests": list(selectors.payment_terms_for_case(case=case)),
        "instalment_pay_form": forms.InstalmentPayForm() if can["instalment_pay"] else None,
        "cash_collect_form": forms.CashCollectForm() if can["cash_collect"] else None,
        "cash_handin_form": forms.CashHandinForm() if can["cash_handin"] else None,
        "cash": cash_collection(case),
        "serve_form": forms.ServeForm() if can["serve"] else None,
        "note_form": forms.NoteForm() if can["enforce"] else None,
        "extension_form": forms.ExtensionForm() if can["extension"] else None,
        "evidence_form": forms.EvidenceForm() if can["evidence"] else None,
        "hearing_deadline": services.hearing_request_deadline(case),
        "simple_actions": [(step.replace("_", "-"), SIMPLE.step(step).label) for step in BUTTON_STEPS if can[step]],
        "after": after, "challenges": challenges, "disclosure": getattr(case, "disclosure", None) if hasattr(case, "disclosure") else None,
        "challenge_pending": any(c.pending for c in challenges), "now": timezone.now(),
        "challenge_form": forms.ChallengeForm(initial={"applicant": case.party_name, "organ": default_organ(case, CaseChallenge.Kind.REVIEW)})
        if after["challenge"] else None,
        "outcome_form": forms.ChallengeOutcomeForm() if after["challenge_outcome"] else None,
    })


def _update(request, case, form):
    d = form.cleaned_data
    services.case_update(user=request.user, case=case, cause=d.get("cause"), facts=d.get("facts"), major=d.get("major"),
                         party_kind=d.get("party_kind") or None, party_name=d.get("party_name"), party_code=d.get("party_code"),
                         party_address=d.get("party_address") or None, discretion_facts=form.discretion_facts())
    return _("Saved; the proposal was recalculated.")


def _officers(request, case, form):
    services.case_assign_officers(user=request.user, case=case, officers=form.cleaned_data["officers"])
    return _("Officers assigned.")


def _extension_approve(request, case, form):
    try:
        extension = selectors.extension_get_for_case(case=case, id=form.cleaned_data["extension"])
    except NotFound:
        raise Http404
    services.case_extension_approve(user=request.user, extension=extension)
    return _("Extension approved.")


def _evidence(request, case, form):
    services.case_evidence_add(user=request.user, case=case, files=[form.cleaned_data["file"]], note=form.cleaned_data.get("note", ""))
    return _("Evidence recorded.")


def _payment_terms(request, case, form):
    d = form.cleaned_data
    services.case_payment_terms_request(user=request.user, case=case, kind=d["kind"], reason=d["reason"], new_due=d.get("new_due"),
                                        schedule=d.get("schedule"))
    return _("Application recorded; a leader decides.")


def _instalment_pay(request, case, form):
    d = form.cleaned_data
    services.case_instalment_pay(user=request.user, case=case, instalment_id=d["instalment"], amount=d["amount"], reference=d["reference"])
    return _("Instalment recorded.")


def _challenge_outcome(request, case, form):
    d = dict(form.cleaned_data)
    try:
        challenge = selectors.challenge_get_for_case(case=case, id=d.pop("challenge"))
    except NotFound:
        raise Http404
    services.challenge_decide(user=request.user, challenge=challenge, **d)
    return _("Outcome recorded.")


ACTIONS = {
    "update": (forms.CaseFactsForm, _update),
    "file": (forms.EmptyForm, lambda r, c, f: services.case_file_approve(user=r.user, case=c) and _("Case filed.")),
    "refuse": (forms.ReasonForm, lambda r, c, f: services.case_file_refuse(user=r.user, case=c, reason=f.cleaned_data["reason"]) and _("Filing refused.")),
    "officers": (forms.OfficersForm, _officers),
    "records": (forms.RecordForm, lambda r, c, f: services.case_record_add(user=r.user, case=c, **f.cleaned_data) and _("Record added.")),
    "penalty": (forms.PenaltyForm, lambda r, c, f: services.case_set_penalty(user=r.user, case=c, **f.cleaned_data) and _("Penalty settled.")),
    "evidence": (forms.EvidenceForm, _evidence),
    "submit": (forms.EmptyForm, lambda r, c, f: services.case_submit_review(user=r.user, case=c) and _("Sent to legal review.")),
    "review": (forms.ReviewForm, lambda r, c, f: services.case_legal_review(user=r.user, case=c, **f.cleaned_data) and _("Review recorded.")),
    "discussion": (forms.DiscussionForm, lambda r, c, f: services.case_collective_discussion(user=r.user, case=c, **f.cleaned_data) and _("Discussion recorded.")),
    "approve": (forms.EmptyForm, lambda r, c, f: services.case_leader_approve(user=r.user, case=c) and _("Approved.")),
    "return": (forms.ReasonForm, lambda r, c, f: services.case_leader_return(user=r.user, case=c, reason=f.cleaned_data["reason"]) and _("Returned to legal review.")),
    "notify": (forms.EmptyForm, lambda r, c, f: services.case_notify(user=r.user, case=c) and _("Notice issued.")),
    "statement": (forms.StatementForm, lambda r, c, f: services.case_statement_record(user=r.user, case=c, **f.cleaned_data) and _("Statement recorded.")),
    "hearing-request": (forms.EmptyForm, lambda r, c, f: services.case_hearing_request(user=r.user, case=c) and _("Hearing request recorded.")),
    "hearing-schedule": (forms.HearingScheduleForm, lambda r, c, f: services.case_hearing_schedule(user=r.user, case=c, **f.cleaned_data)
                         and _("Hearing scheduled; the party is notified of its time and place.")),
    "hearing": (forms.HearingForm, lambda r, c, f: services.case_hearing_hold(user=r.user, case=c, record=f.cleaned_data["record"]) and _("Hearing recorded.")),
    "hearing-withdraw": (forms.HearingWithdrawForm, lambda r, c, f: services.case_hearing_withdraw(user=r.user, case=c, reason=f.cleaned_data["reason"])
                         and _("The hearing request is withdrawn.")),
    "payment-terms": (forms.PaymentTermsForm, _payment_terms),
    "payment-terms-decide": (forms.PaymentTermsDecideForm, lambda r, c, f: services.case_payment_terms_decide(user=r.user, case=c, **f.cleaned_data)
                             and _("Decision recorded.")),
    "instalment-pay": (forms.InstalmentPayForm, _instalment_pay),
    "cash-collect": (forms.CashCollectForm, lambda r, c, f: services.case_cash_collect(user=r.user, case=c, **f.cleaned_data)
                     and _("Collected on the spot; hand the cash in to the bureau within 2 working days.")),
    "cash-handin": (forms.CashHandinForm, lambda r, c, f: services.case_cash_handin(user=r.user, case=c, reference=f.cleaned_data["reference"])
                    and _("Hand-in recorded.")),
    "decide": (forms.EmptyForm, lambda r, c, f: services.case_decide(user=r.user, case=c) and _("Decision made.")),
    "serve": (forms.ServeForm, lambda r, c, f: services.case_serve(user=r.user, case=c, method=f.cleaned_data["method"], proof=f.proof()) and _("Service recorded.")),
    "enforce": (forms.NoteForm, lambda r, c, f: services.case_enforcement_record(user=r.user, case=c, note=f.cleaned_data["note"]) and _("Enforcement recorded.")),
    "onsite-file": (forms.EmptyForm, lambda r, c, f: services.case_onsite_file(user=r.user, case=c) and _("Filed with the organisation.")),
    "close": (forms.EmptyForm, lambda r, c, f: services.case_close(user=r.user, case=c) and _("Case closed.")),
    "archive": (forms.EmptyForm, lambda r, c, f: services.case_archive(user=r.user, case=c) and _("Case archived.")),
    "extension": (forms.ExtensionForm, lambda r, c, f: services.case_extension_request(user=r.user, case=c, **f.cleaned_data) and _("Extension requested.")),
    "extension-approve": (forms.ExtensionApproveForm, _extension_approve),
    "disclosure-publish": (forms.EmptyForm, lambda r, c, f: services.disclosure_publish(user=r.user, case=c) and _("The decision is published.")),
    "disclosure-withdraw": (forms.ReasonForm, lambda r, c, f: services.disclosure_withdraw(user=r.user, case=c, reason=f.cleaned_data["reason"])
                            and _("The publication is withdrawn.")),
    "challenge": (forms.ChallengeForm, lambda r, c, f: services.challenge_file(user=r.user, case=c, **f.cleaned_data) and _("Review or litigation recorded.")),
    "challenge-outcome": (forms.ChallengeOutcomeForm, _challenge_outcome),
}


CONTEXT_FORMS = (forms.OfficersForm, forms.HearingScheduleForm)  # their choices depend on the case and who asks


@staff_required
@require_POST
def case_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    case = _case_or_404(request.user, pk)
    form_class, handler = ACTIONS[action]
    form = (form_class(request.POST, request.FILES, case=case, user=request.user) if form_class in CONTEXT_FORMS
            else form_class(request.POST, request.FILES))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            messages.success(request, handler(request, case, form))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("cases-case-detail", pk=case.pk)


@staff_required
def onsite(request):
    """简易程序 on a phone: the form, then the decision PDF to print or show."""
    form = forms.OnsiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        lat, lon = d.pop("lat", None), d.pop("lon", None)
        point = None
        if lat is not None and lon is not None:
            point = make_point(lon, lat)
        try:
            case = services.case_onsite_decide(user=request.user, point=point, **d)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decided on the spot; print or show the decision."))
            return redirect("cases-case-detail", pk=case.pk)
    return render(request, "cases/onsite.html", {"form": form})


@staff_required
def document_download(request, pk):
    try:
        document = selectors.document_get_for_user(user=request.user, id=pk)
    except NotFound:
        raise Http404
    return send_file(request, document.file, content_type="application/pdf", download_name=document.download_name)


def verify(request, key):
    """Public: a document's number, kind, issuer, date and SHA-256; upload a PDF to see whether it matches."""
    try:
        document = selectors.document_get_public(key=key)
    except NotFound:
        raise Http404
    result = signature = None
    form = forms.VerifyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > VERIFY_MAX_BYTES:
            result = False
        else:
            data = upload.read()
            result = hashlib.sha256(data).hexdigest() == document.sha256
            signature = document_signing.get_signer().validate(data)  # the PDF's own signature: who signed, and nothing changed
    return render(request, "cases/verify.html", {
        "document": document, "kind_name": DOCUMENT_KINDS.get(document.kind, document.kind), "form": form, "result": result,
        "signature": signature,
    }, status=200)


VERIFY_MAX_BYTES = 20 * 1024 * 1024  # a case document is well under 1 MB


CASHIER_TOKEN_SALT = "cityenforce.cases.cashier"
CASHIER_TOKEN_MAX_AGE = 15 * 60


@require_http_methods(["GET", "POST"])
def cashier(request, reference):
    """The demo's simulated cashier (local provider only, demo mode only; 404 otherwise): the amount due
    today and a button that "pays" through the same signed notice and service as a real gateway.

    The form carries a token signed with the payment secret that binds the reference, the amount
    shown and a one-time notice id: a changed amount or reference is refused, and the same form
    sent twice (a double click, a replay) is one notice, so it records one payment.
    """
    if not simulated_cashier_enabled():
        raise Http404
    try:
        payment = selectors.payment_get_public(reference=reference)
    except NotFound:
        raise Http404
    if reference != payment.reference:
        return redirect("cases-pay", reference=payment.reference)
    pay = selectors.payment_public_summary(payment=payment, on_date=timezone.localdate())
    status = 200
    if request.method == "POST":
        try:
            token = signing.loads(request.POST.get("pay_token", ""), key=payment_secret(), salt=CASHIER_TOKEN_SALT, max_age=CASHIER_TOKEN_MAX_AGE)
        except signing.BadSignature:
            token = None
        if not isinstance(token, dict) or token.get("r") != payment.reference or not isinstance(token.get("n"), str):
            messages.error(request, _("This payment form has expired or was altered. Check the amount and pay again."))
            status = 400
        elif payment.state != payment.State.PENDING:
            messages.info(request, _("This fine was already settled."))
            return redirect("cases-pay", reference=payment.reference)
        elif token.get("a") != pay["total_fen"]:
            messages.error(request, _("The amount due has changed since the form was shown. Check the amount and pay again."))
            status = 400
        else:
            body, headers = get_provider().build_notice(reference=payment.reference, amount_fen=pay["total_fen"], notice_id=f"CASHIER-{token['n']}")
            try:
                services.payment_notice_receive(body=body, headers=headers)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Paid (simulation). Thank you."))
            return redirect("cases-pay", reference=payment.reference)
    pay_token = signing.dumps({"r": payment.reference, "a": pay["total_fen"], "n": secrets.token_hex(16)}, key=payment_secret(), salt=CASHIER_TOKEN_SALT)
    return render(request, "cases/cashier.html", {"pay": pay, "pay_token": pay_token}, status=status)


def public_list(request):
    """Public (行政执法公示): published decisions, masked when they were published; search by cause, district and date."""
    form = forms.PublicSearchForm(request.GET or None)
    f = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.disclosure_list_public(q=f.get("q") or None, district=f.get("district") or None, date_from=f.get("date_from"),
                                          date_to=f.get("date_to"))
    page = Paginator(qs, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/public_list.html", {"form": form, "page": page, "items": list(page.object_list), "query": query.urlencode()},
                  status=400 if form.is_bound and not form.is_valid() else 200)


def public_detail(request, pk):
    try:
        disclosure = selectors.disclosure_get_public(id=pk)
    except NotFound:
        raise Http404
    return render(request, "cases/public_detail.html", {"d": disclosure})
