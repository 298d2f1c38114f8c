"""Serializers of the case API for officers, squad leaders, legal reviewers and leaders; party data masked.

Every primary key a client sends (a place, an officer) resolves among what the requesting user may see,
so one of another district answers exactly like one that does not exist (400 "does not exist")."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User
from apps.cases.challenges import CaseChallenge
from apps.cases.disclosures import PUBLIC_FIELDS, Disclosure
from apps.cases.models import (
    Case,
    CaseCause,
    CaseDocument,
    CaseExtension,
    CaseLog,
    CaseRecord,
    CashCollection,
    DiscretionLevel,
    Instalment,
    PartyKind,
    PaymentTermRequest,
)
from apps.cases.payment_provider import simulated_cashier_enabled
from apps.cases.policy import AFTER_DECISION, POLICIES, cash_collection, policy_for
from apps.cases.selectors import staff_list_for_user
from apps.gbcp.api.fields import BoundedDateField, MaskedField, PointField
from apps.gbcp.masking import clearance_for, mask
from apps.gbcp.models import Place
from apps.gbcp.privacy import note_unmasked
from apps.gbcp.selectors import place_list_for_user


def _caller(serializer):
    return getattr(serializer.context.get("request"), "user", None)


class ScopedToCaller:
    """Resolves the primary-key fields named in ``scoped`` among what the caller may see (``{field: selector}``)."""

    scoped = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        for name, selector in self.scoped.items():
            field = self.fields[name]
            getattr(field, "child_relation", field).queryset = selector(user=user)


class DiscretionLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = DiscretionLevel
        fields = ["level", "conditions", "harm", "fine_min", "fine_max", "warning_allowed"]


class CauseSerializer(serializers.ModelSerializer):
    levels = DiscretionLevelSerializer(many=True, read_only=True)

    class Meta:
        model = CaseCause
        fields = ["code", "name", "area", "legal_basis", "penalty_basis", "simple_allowed", "serious_harm", "citation_confirmed", "levels"]


class CaseListSerializer(serializers.ModelSerializer):
    cause = serializers.SerializerMethodField()
    organization = serializers.CharField(source="organization.name", read_only=True)
    owner = serializers.StringRelatedField(read_only=True, allow_null=True)
    party_name = MaskedField("name")
    point = PointField(read_only=True)

    class Meta:
        model = Case
        fields = ["id", "number", "procedure", "source", "status", "cause", "party_kind", "party_name", "fine", "warning", "exempt",
                  "region_code", "organization", "owner", "point", "opened_at", "filed_at", "decision_due", "payment_due"]

    def get_cause(self, obj) -> dict | None:
        return {"code": obj.cause.code, "name": obj.cause.name} if obj.cause_id else None


class CaseLogSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(read_only=True, allow_null=True)
    action_label = serializers.CharField(read_only=True, help_text="the step's name for people, in the request's language")

    class Meta:
        model = CaseLog
        fields = ["action", "action_label", "actor", "reason", "data", "at"]


class CaseRecordSerializer(serializers.ModelSerializer):
    interviewee = MaskedField("name")

    class Meta:
        model = CaseRecord
        fields = ["id", "kind", "recorded_at", "location", "interviewee", "content"]


class CaseDocumentSerializer(serializers.ModelSerializer):
    verify_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseDocument
        fields = ["id", "kind", "number", "sha256", "issuer", "issued_at", "verify_url", "download_url"]

    def get_verify_url(self, obj) -> str:
        return f"/cases/verify/{obj.verify_token}/"

    def get_download_url(self, obj) -> str:
        return f"/cases/documents/{obj.pk}/download/"


class CaseExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseExtension
        fields = ["id", "days", "reason", "requested_at", "approved_at"]


class DisclosureStaffSerializer(serializers.ModelSerializer):
    """The disclosure as staff follow it: its state and limits (what the public reads is ``PublicDisclosureSerializer``)."""
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Disclosure
        fields = ["id", "status", "status_label", "due_at", "published_at", "published_late", "withdrawal_due", "withdrawn_at",
                  "withdrawal_reason", "withdrawn_late"]


class CaseChallengeSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    applicant = MaskedField("name")

    class Meta:
        model = CaseChallenge
        fields = ["id", "kind", "kind_label", "applicant", "filed_on", "organ", "reference", "outcome", "outcome_label", "outcome_on",
                  "outcome_reference", "outcome_note"]


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["id", "number", "amount", "due_date", "paid_at", "amount_paid", "late_fee", "reference"]


class PaymentTermRequestSerializer(serializers.ModelSerializer):
    instalments = InstalmentSerializer(many=True, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = PaymentTermRequest
        fields = ["id", "kind", "kind_label", "reason", "new_due", "original_due", "requested_at", "outcome", "outcome_label", "decided_at",
                  "decision_reason", "instalments"]


class CashCollectionSerializer(serializers.ModelSerializer):
    ground_label = serializers.CharField(source="get_ground_display", read_only=True)
    collected_by = serializers.StringRelatedField(read_only=True)
    handed_in_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = CashCollection
        fields = ["ground", "ground_label", "reason", "amount", "late_fee", "receipt_number", "collected_by", "collected_at", "handin_due",
                  "handed_in_at", "handed_in_by", "handin_reference"]


class CaseDetailSerializer(CaseListSerializer):
    party_code = serializers.SerializerMethodField()
    logs = CaseLogSerializer(many=True, read_only=True)
    records = CaseRecordSerializer(many=True, read_only=True)
    documents = CaseDocumentSerializer(many=True, read_only=True)
    extensions = CaseExtensionSerializer(many=True, read_only=True)
    officers = serializers.StringRelatedField(many=True, read_only=True)
    payment = serializers.SerializerMethodField()
    task = serializers.CharField(source="task.number", default=None, allow_null=True, read_only=True)
    disclosure = serializers.SerializerMethodField()
    challenges = CaseChallengeSerializer(many=True, read_only=True)
    hearing_presiding = serializers.StringRelatedField(read_only=True, allow_null=True)
    payment_term_requests = serializers.SerializerMethodField()
    cash_collection = serializers.SerializerMethodField()
    execution_suspended = serializers.SerializerMethodField(help_text="Always false: review or litigation does not stop execution (art. 73).")
    actions = serializers.SerializerMethodField(help_text=(
        "The steps the requesting user may do on this case now, named as in the policy table of the case's procedure "
        "(apps/cases/policy.py): the same actions the case page shows."))

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + [
            "party_code", "facts", "discretion_facts", "proposal", "level", "departure_reason", "major", "discussion_date",
            "discussion_conclusion", "not_filed_reason", "notified_at", "hearing_eligible", "hearing_waived", "hearing_requested_at",
            "hearing_held_at", "decided_at", "service_due", "served_at", "service_method", "executed_at", "onsite_filed_at",
            "closed_at", "archived_at", "officers", "task", "logs", "records", "documents", "extensions", "payment", "disclosure",
            "challenges", "execution_suspended", "actions", "hearing_scheduled_for", "hearing_place", "hearing_presiding", "hearing_notice_at",
            "hearing_withdrawn_at", "payment_due", "payment_terms", "payment_term_requests", "cash_collection",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(
        choices=list(dict.fromkeys(step.name for policy in (*POLICIES.values(), AFTER_DECISION) for step in policy)))))
    def get_actions(self, obj) -> list[str]:
        return policy_for(obj).allowed_steps(_caller(self), obj) + AFTER_DECISION.allowed_steps(_caller(self), obj)

    @extend_schema_field(DisclosureStaffSerializer(allow_null=True))
    def get_disclosure(self, obj) -> dict | None:
        disclosure = getattr(obj, "disclosure", None) if hasattr(obj, "disclosure") else None
        return DisclosureStaffSerializer(disclosure).data if disclosure is not None else None

    @extend_schema_field(PaymentTermRequestSerializer(many=True))
    def get_payment_term_requests(self, obj) -> list:
        return PaymentTermRequestSerializer(obj.payment_term_requests.all(), many=True).data

    @extend_schema_field(CashCollectionSerializer(allow_null=True))
    def get_cash_collection(self, obj) -> dict | None:
        collection = cash_collection(obj)
        return CashCollectionSerializer(collection).data if collection is not None else None

    def get_execution_suspended(self, obj) -> bool:
        return False

    def get_party_code(self, obj) -> str:
        # A credit code is public; a resident ID is masked by clearance.
        if obj.party_kind == PartyKind.ORGANISATION:
            return obj.party_code
        user = getattr(self.context.get("request"), "user", None)
        shown = mask("id_number", obj.party_code, clearance_for(user))
        note_unmasked(user=user, value=shown, what="party_code", subject=obj)  # full clearance: on the access log
        return shown

    def get_payment(self, obj) -> dict | None:
        payment = getattr(obj, "payment", None) if hasattr(obj, "payment") else None
        if payment is None:
            return None
        return {"reference": payment.reference, "amount_due": str(payment.amount_due), "state": payment.state,
                "paid_at": payment.paid_at, "late_fee": str(payment.late_fee), "pay_url": f"/cases/pay/{payment.reference}/" if simulated_cashier_enabled() else None}


class DiscretionFactsSerializer(serializers.Serializer):
    harm = serializers.ChoiceField(choices=["none", "slight", "ordinary", "serious"], default="ordinary")
    first_offence = serializers.BooleanField(default=False)
    corrected_promptly = serializers.BooleanField(default=False)
    repeat_count = serializers.IntegerField(min_value=0, default=0)
    mitigating = serializers.ListField(child=serializers.CharField(), required=False)
    aggravating = serializers.ListField(child=serializers.CharField(), required=False)
    violation_date = BoundedDateField(required=False)
    consequences = serializers.BooleanField(default=False)


class ProposalRequestSerializer(serializers.Serializer):
    cause = serializers.CharField(max_length=64)
    facts = DiscretionFactsSerializer(required=False)


def _cause_field(**kw):
    return serializers.SlugRelatedField(slug_field="code", queryset=CaseCause.objects.filter(active=True), **kw)


class CaseOpenSerializer(ScopedToCaller, serializers.Serializer):
    scoped = {"place": place_list_for_user}

    source = serializers.ChoiceField(choices=Case.Source.choices, default=Case.Source.PATROL)
    cause = _cause_field(required=False, allow_null=True)
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.none(), required=False, allow_null=True)
    point = PointField(required=False)
    facts = serializers.CharField(max_length=8000)
    discretion_facts = DiscretionFactsSerializer(required=False)


class CaseUpdateSerializer(serializers.Serializer):
    cause = _cause_field(required=False, allow_null=True)
    facts = serializers.CharField(max_length=8000, required=False)
    major = serializers.BooleanField(required=False, allow_null=True, default=None)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices, required=False)
    party_name = serializers.CharField(max_length=128, required=False)
    party_code = serializers.CharField(max_length=18, required=False)
    party_address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    discretion_facts = DiscretionFactsSerializer(required=False)


class PenaltySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["slight", "ordinary", "serious"])
    fine = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    warning = serializers.BooleanField(default=False)
    exempt = serializers.BooleanField(default=False)
    departure_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class CaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ReviewSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class OfficersSerializer(ScopedToCaller, serializers.Serializer):
    scoped = {"officers": staff_list_for_user}

    officers = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), many=True)


class RecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[CaseRecord.Kind.INQUIRY, CaseRecord.Kind.INSPECTION])
    content = serializers.CharField(max_length=20000)
    interviewee = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class StatementSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=20000)
    waive_hearing = serializers.BooleanField(default=False)


class HearingSerializer(serializers.Serializer):
    record = serializers.CharField(max_length=20000)


class DiscussionSerializer(serializers.Serializer):
    date = BoundedDateField()
    attendees = serializers.CharField(max_length=2000)
    conclusion = serializers.CharField(max_length=4000)


class ServiceProofSerializer(serializers.Serializer):
    """The proof of the chosen method (apps.cases.service_methods): which fields each method needs is checked there."""
    recipient = serializers.CharField(max_length=64, required=False, help_text="直接送达: who signed the receipt")
    refusal = serializers.CharField(max_length=500, required=False, help_text="留置送达: how the party refused")
    witness = serializers.CharField(max_length=64, required=False, help_text="留置送达: the witness")
    evidence = serializers.IntegerField(required=False, help_text="留置送达: id of a photo/video in the case's evidence")
    tracking_number = serializers.CharField(max_length=30, required=False, help_text="邮寄送达: postal tracking number")
    consent_ref = serializers.CharField(max_length=100, required=False, help_text="电子送达: the party's consent record")
    address = serializers.CharField(max_length=200, required=False, help_text="电子送达: the consented address")
    medium = serializers.CharField(max_length=200, required=False, help_text="公告送达: where it was published")
    published_on = serializers.DateField(required=False, help_text="公告送达: date of publication (served 30 days later)")
    reason = serializers.CharField(max_length=500, required=False, help_text="公告送达: why the party could not be reached")


class ServeSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Case.ServiceMethod.choices)
    proof = ServiceProofSerializer(required=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)


class ExtensionApproveSerializer(serializers.Serializer):
    extension = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="id of the requested extension")


class ExtensionRequestSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField(max_length=4000)


class CaseEvidenceUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), max_length=10, help_text="multipart: repeat the field per file")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OnsiteSerializer(ScopedToCaller, serializers.Serializer):
    scoped = {"co_officer": staff_list_for_user, "place": place_list_for_user}

    co_officer = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    party_kind = serializers.ChoiceField(choices=PartyKind.choices)
    party_name = serializers.CharField(max_length=128)
    party_code = serializers.CharField(max_length=18)
    cause = _cause_field()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, default=0)
    warning = serializers.BooleanField(default=False)
    facts = serializers.CharField(max_length=8000)
    point = PointField(required=False)
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.none(), required=False, allow_null=True)


class PartyLookupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    valid = serializers.BooleanField()
    linked = serializers.BooleanField()


class ChallengeFileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseChallenge.Kind.choices)
    applicant = serializers.CharField(max_length=128)
    filed_on = BoundedDateField()
    organ = serializers.CharField(max_length=128, required=False, allow_blank=True, default="", help_text="blank: the review organ or court printed on the decision")
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class ChallengeDecideSerializer(serializers.Serializer):
    challenge = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="id of the pending review or litigation")
    outcome = serializers.ChoiceField(choices=[c for c in CaseChallenge.Outcome.choices if c[0] != CaseChallenge.Outcome.PENDING])
    outcome_on = BoundedDateField()
    outcome_reference = serializers.CharField(max_length=64)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PublicDisclosureSerializer(serializers.ModelSerializer):
    """A published decision as everyone reads it: only the masked public fields (apps.cases.disclosures.PUBLIC_FIELDS)."""

    class Meta:
        model = Disclosure
        fields = list(PUBLIC_FIELDS)
        read_only_fields = fields


class PublicDisclosureQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True)
    district = serializers.RegexField(r"^\d{6}$", required=False, allow_blank=True)
    date_from = BoundedDateField(required=False)
    date_to = BoundedDateField(required=False)


# --- payment terms (art. 66), on-the-spot collection (arts. 68–71), the hearing (arts. 64–65) ---
