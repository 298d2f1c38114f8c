"""Case API for the mobile client and staff: my cases, case file, every step, on-the-spot procedure,
evidence upload, party lookup, the cause catalogue and the payment callback."""
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cases import selectors, services
from apps.cases.api import serializers as s
from apps.cases.api import serializers_payment as sp
from apps.cases.discretion import propose_penalty
from apps.cases.models import CaseLog
from apps.cases.payment_provider import NOTICE_MAX_BYTES
from apps.gbcp.api.parsers import BoundedFormParser
from apps.gbcp.citycode import UnreadableImage, read_city_code_from_image
from apps.gbcp.errors import ApplicationError


class CaseListView(generics.ListAPIView):
    """Cases in the caller's jurisdiction; ``mine`` limits to cases the caller owns or investigates."""

    serializer_class = s.CaseListSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("procedure", str), OpenApiParameter("mine", bool),
                               OpenApiParameter("open", bool), OpenApiParameter("queue", str, enum=["legal", "leader", "squad"]), OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.case_list_for_user(
            user=self.request.user, status=p.getlist("status") or None, procedure=p.get("procedure"), mine=p.get("mine") in {"1", "true"},
            open_only=p.get("open") in {"1", "true"}, q=p.get("q"), queue=p.get("queue"),
        )


def _case(request, pk):
    return selectors.case_get_for_user(user=request.user, id=pk)


def _detail(request, case, status=200):
    case = (
        selectors.case_list_for_user(user=request.user)
        .select_related("payment", "task", "disclosure", "hearing_presiding", "cash_collection__collected_by", "cash_collection__handed_in_by")
        .prefetch_related(Prefetch("logs", queryset=CaseLog.objects.select_related("actor")), "records", "documents", "extensions", "officers",
                          "challenges", "payment_term_requests__instalments")
        .get(pk=case.pk)
    )
    return Response(s.CaseDetailSerializer(case, context={"request": request}).data, status=status)


class CaseOpenView(APIView):
    """Open a general-procedure case (awaiting filing approval)."""

    @extend_schema(request=s.CaseOpenSerializer, responses={201: s.CaseDetailSerializer})
    def post(self, request):
        serializer = s.CaseOpenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        case = services.case_open(user=request.user, source=d["source"], cause=d.get("cause"), place=d.get("place"), point=d.get("point"),
                                  facts=d["facts"], discretion_facts=d.get("discretion_facts"))
        return _detail(request, case, status=201)


class CaseDetailView(APIView):
    @extend_schema(responses=s.CaseDetailSerializer)
    def get(self, request, pk):
        return _detail(request, _case(request, pk))


class _ActionView(APIView):
    serializer_class = None

    def act(self, request, case, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk):
        case = _case(request, pk)
        data = {}
        if self.serializer_class is not None:
            serializer = self.serializer_class(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        self.act(request, case, data)
        return _detail(request, case)


def _action(name, serializer, func, doc, parsers=None):
    attrs = {"serializer_class": serializer, "act": lambda self, request, case, data: func(request, case, data), "__doc__": doc}
    if parsers:
        attrs["parser_classes"] = parsers
    view = type(name, (_ActionView,), attrs)
    return extend_schema(request=serializer, responses=s.CaseDetailSerializer)(view).as_view()


def _officers(request, case, data):
    return services.case_assign_officers(user=request.user, case=case, officers=data["officers"])


def _challenge_decide(request, case, data):
    data = dict(data)
    challenge = selectors.challenge_get_for_case(case=case, id=data.pop("challenge"))
    return services.challenge_decide(user=request.user, challenge=challenge, **data)


def _instalment_pay(request, case, data):
    # An instalment of another case answers 400 like one that does not exist (the service looks among this case's own).
    return services.case_instalment_pay(user=request.user, case=case, instalment_id=data["instalment"], amount=data["amount"], reference=data["reference"])


def _extension_approve(request, case, data):
    extension = selectors.extension_get_for_case(case=case, id=data["extension"])
    return services.case_extension_approve(user=request.user, extension=extension)


update = _action("CaseUpdateView", s.CaseUpdateSerializer, lambda r, c, d: services.case_update(user=r.user, case=c, **d), "Edit facts, cause, party and discretion facts; the proposal follows.")
penalty = _action("CasePenaltyView", s.PenaltySerializer, lambda r, c, d: services.case_set_penalty(user=r.user, case=c, **d), "Settle the penalty; a departure from the proposal needs a reason.")
file_ = _action("CaseFileView", None, lambda r, c, d: services.case_file_approve(user=r.user, case=c), "The squad leader approves filing (立案).")
refuse = _action("CaseRefuseView", s.CaseReasonSerializer, lambda r, c, d: services.case_file_refuse(user=r.user, case=c, reason=d["reason"]), "The squad leader refuses filing, with a reason.")
officers = _action("CaseOfficersView", s.OfficersSerializer, _officers, "Add investigating officers of the squad.")
record = _action("CaseRecordView", s.RecordSerializer, lambda r, c, d: services.case_record_add(user=r.user, case=c, **d), "An inquiry or on-site inspection record.")
submit = _action("CaseSubmitView", None, lambda r, c, d: services.case_submit_review(user=r.user, case=c), "Send the case to legal review.")
review = _action("CaseReviewView", s.ReviewSerializer, lambda r, c, d: services.case_legal_review(user=r.user, case=c, **d), "法制审核: pass, or return with a reason.")
discussion = _action("CaseDiscussionView", s.DiscussionSerializer, lambda r, c, d: services.case_collective_discussion(user=r.user, case=c, **d), "Record the collective discussion of a major case.")
approve = _action("CaseApproveView", None, lambda r, c, d: services.case_leader_approve(user=r.user, case=c), "The leader approves.")
return_ = _action("CaseReturnView", s.CaseReasonSerializer, lambda r, c, d: services.case_leader_return(user=r.user, case=c, reason=d["reason"]), "The leader returns the case to legal review.")
notify = _action("CaseNotifyView", None, lambda r, c, d: services.case_notify(user=r.user, case=c), "Issue the notice of proposed penalty (告知).")
statement = _action("CaseStatementView", s.StatementSerializer, lambda r, c, d: services.case_statement_record(user=r.user, case=c, **d), "Record the party's statement and defence.")
hearing_request = _action("CaseHearingRequestView", None, lambda r, c, d: services.case_hearing_request(user=r.user, case=c), "The party requests a hearing (within 5 working days of the notice).")
hearing_schedule = _action("CaseHearingScheduleView", sp.HearingScheduleSerializer,
                           lambda r, c, d: services.case_hearing_schedule(user=r.user, case=c, **d),
                           "Schedule the hearing: time and place told to the party at least 7 working days ahead, a presiding officer who did not investigate (arts. 64, 85).")
hearing_withdraw = _action("CaseHearingWithdrawView", sp.HearingWithdrawSerializer,
                           lambda r, c, d: services.case_hearing_withdraw(user=r.user, case=c, reason=d["reason"]),
                           "The party withdrew the hearing request or failed to attend (art. 64(8)).")
payment_terms = _action("CasePaymentTermsView", sp.PaymentTermsRequestSerializer,
                        lambda r, c, d: services.case_payment_terms_request(user=r.user, case=c, **d),
                        "Record the party's application to defer the fine or pay it in instalments (art. 66).")
payment_terms_decide = _action("CasePaymentTermsDecideView", sp.PaymentTermsDecideSerializer,
                               lambda r, c, d: services.case_payment_terms_decide(user=r.user, case=c, **d),
                               "A leader approves the application, or refuses it with a reason.")
instalment_pay = _action("CaseInstalmentPayView", sp.InstalmentPaySerializer, _instalment_pay,
                         "Record an instalment paid: its amount plus the late fee from its own date (art. 72), with the bank slip.")
cash_collect = _action("CaseCashCollectView", sp.CashCollectSerializer, lambda r, c, d: services.case_cash_collect(user=r.user, case=c, **d),
                       "Collect the fine on the spot against an official receipt: 100 yuan or less, or a remote place with a reason (arts. 68, 69).")
cash_handin = _action("CaseCashHandinView", sp.CashHandinSerializer, lambda r, c, d: services.case_cash_handin(user=r.user, case=c, reference=d["reference"]),
                      "Record the cash handed in to the bureau (within 2 working days, art. 71).")
hearing = _action("CaseHearingView", s.HearingSerializer, lambda r, c, d: services.case_hearing_hold(user=r.user, case=c, record=d["record"]), "Record the hearing.")
decide = _action("CaseDecideView", None, lambda r, c, d: services.case_decide(user=r.user, case=c), "The leader decides (within the decision limit).")
serve = _action("CaseServeView", s.ServeSerializer, lambda r, c, d: services.case_serve(user=r.user, case=c, method=d["method"], proof=d.get("proof")), "Record service of the decision.")
enforce = _action("CaseEnforceView", s.NoteSerializer, lambda r, c, d: services.case_enforcement_record(user=r.user, case=c, note=d["note"]), "Record enforcement.")
close = _action("CaseCloseView", None, lambda r, c, d: services.case_close(user=r.user, case=c), "结案.")
archive = _action("CaseArchiveView", None, lambda r, c, d: services.case_archive(user=r.user, case=c), "归档.")
onsite_file = _action("CaseOnsiteFileView", None, lambda r, c, d: services.case_onsite_file(user=r.user, case=c), "备案 of an on-the-spot decision by the squad leader.")
extension_request = _action("CaseExtensionRequestView", s.ExtensionRequestSerializer, lambda r, c, d: services.case_extension_request(user=r.user, case=c, **d), "Ask to extend the decision limit.")
extension_approve = _action("CaseExtensionApproveView", s.ExtensionApproveSerializer, _extension_approve, "The leader approves an extension.")
evidence = _action("CaseEvidenceView", s.CaseEvidenceUploadSerializer,
                   lambda r, c, d: services.case_evidence_add(user=r.user, case=c, files=d["files"], note=d.get("note", "")),
                   "Upload evidence files to the case (multipart).", parsers=[MultiPartParser, BoundedFormParser])
disclosure_publish = _action("CaseDisclosurePublishView", None, lambda r, c, d: services.disclosure_publish(user=r.user, case=c),
                             "Publish the decision, masked (公示, art. 48): legal reviewers and leaders of the jurisdiction.")
disclosure_withdraw = _action("CaseDisclosureWithdrawView", s.CaseReasonSerializer,
                              lambda r, c, d: services.disclosure_withdraw(user=r.user, case=c, reason=d["reason"]),
                              "Withdraw the published decision, with the reason (art. 48(2)).")
challenge_file = _action("CaseChallengeFileView", s.ChallengeFileSerializer, lambda r, c, d: services.challenge_file(user=r.user, case=c, **d),
                         "Record a review (行政复议) or litigation (行政诉讼) against the decision; execution goes on (art. 73).")
challenge_decide = _action("CaseChallengeDecideView", s.ChallengeDecideSerializer, _challenge_decide,
                           "Record the outcome of a review or litigation; changed, revoked or unlawful starts the withdrawal of the disclosure.")


class PublicDisclosureListView(generics.ListAPIView):
    """Published penalty decisions (行政执法公示), masked; no login. Filters: q (cause or decision number), district (6 digits),
    date_from, date_to (decision dates)."""

    serializer_class = s.PublicDisclosureSerializer
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(parameters=[s.PublicDisclosureQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = s.PublicDisclosureQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        d = query.validated_data
        return selectors.disclosure_list_public(q=d.get("q") or None, district=d.get("district") or None, date_from=d.get("date_from"),
                                                date_to=d.get("date_to"))


class PublicDisclosureDetailView(APIView):
    """One published decision; a withdrawn one is not found. No login."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses=s.PublicDisclosureSerializer)
    def get(self, request, pk):
        return Response(s.PublicDisclosureSerializer(selectors.disclosure_get_public(id=pk)).data)


class OnsiteDecideView(APIView):
    """简易程序: decide on the spot (warning, or up to 200 / 3000 yuan) with a co-officer."""

    @extend_schema(request=s.OnsiteSerializer, responses={201: s.CaseDetailSerializer})
    def post(self, request):
        serializer = s.OnsiteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        case = services.case_onsite_decide(user=request.user, **serializer.validated_data)
        return _detail(request, case, status=201)


class CauseListView(generics.ListAPIView):
    """The cause catalogue; ``category`` filters by event category code, ``simple`` to causes allowing the simple procedure."""

    serializer_class = s.CauseSerializer

    @extend_schema(parameters=[OpenApiParameter("category", str), OpenApiParameter("simple", bool), OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.cause_list(category_code=p.get("category"), simple=p.get("simple") in {"1", "true"}, q=p.get("q"))


class ProposalView(APIView):
    """The discretion proposal for a cause and facts, without saving anything."""

    @extend_schema(request=s.ProposalRequestSerializer,
                   responses=inline_serializer("Proposal", {"level": serializers.CharField(), "amount": serializers.CharField(), "warning": serializers.BooleanField(),
                                                            "exempt": serializers.BooleanField(), "reasons": serializers.ListField(child=serializers.CharField()),
                                                            "findings": serializers.ListField(child=serializers.CharField()), "time_barred": serializers.BooleanField()}))
    def post(self, request):
        serializer = s.ProposalRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        cause = selectors.cause_get(code=data["cause"])
        facts = s.DiscretionFactsSerializer(data={})
        facts.is_valid(raise_exception=True)
        return Response(propose_penalty(cause=cause, facts=data.get("facts") or facts.validated_data).as_json())


class PartyLookupView(APIView):
    """Look up a party by resident ID, unified social credit code or city code (typed, or a QR photo); masked by clearance."""

    parser_classes = [MultiPartParser, BoundedFormParser]

    @extend_schema(parameters=[OpenApiParameter("code", str)], responses=s.PartyLookupSerializer)
    def get(self, request):
        return Response(selectors.party_lookup(user=request.user, code=request.query_params.get("code", "")))

    @extend_schema(request=inline_serializer("PartyPhoto", {"photo": serializers.ImageField()}), responses=s.PartyLookupSerializer)
    def post(self, request):
        photo = request.FILES.get("photo")
        if photo is None:
            raise ApplicationError(_("Upload a photo of the QR code."), code="photo_required", details={"photo": [_("This field is required.")]})
        try:
            code = read_city_code_from_image(photo)
        except UnreadableImage:
            raise ApplicationError(_("The upload is not an image."), code="unreadable_image")
        if not code:
            raise ApplicationError(_("No city code found in the photo."), code="no_code")
        return Response(selectors.party_lookup(user=request.user, code=code))


@extend_schema(request=None, responses=inline_serializer("PaymentAck", {"ok": serializers.BooleanField(), "reference": serializers.CharField(),
                                                                        "state": serializers.CharField(), "newly_paid": serializers.BooleanField()}))
class PaymentCallbackView(APIView):
    """The payment provider's notice (no login; the provider's signature is checked). Idempotent by notice id."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        # A notice is a few hundred bytes; refuse a big body before reading or verifying it.
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > NOTICE_MAX_BYTES or len(request.body) > NOTICE_MAX_BYTES:
            raise ApplicationError(_("The payment notice is too large."), code="payload_too_large",
                                   details={"max_bytes": NOTICE_MAX_BYTES}, status_code=413)
        payment, new = services.payment_notice_receive(body=request.body, headers=request.headers)
        # The same answer for every delivery of one notice; newly_paid tells which delivery recorded it.
        return Response({"ok": True, "reference": payment.reference, "state": payment.state, "newly_paid": new})


payment_callback = csrf_exempt(PaymentCallbackView.as_view())
