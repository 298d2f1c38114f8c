"""Admin of enforcement cases: the cause catalogue (legal staff edit it and confirm citations, with history),
cases read-only with map and history (they change through the services), documents, payments."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from apps.cases import services
from apps.cases.models import (
    Case,
    CaseCause,
    CaseChallenge,
    CaseDocument,
    CaseExtension,
    CaseLog,
    CaseRecord,
    CashCollection,
    DiscretionLevel,
    Disclosure,
    EnforcementSubject,
    Instalment,
    Payment,
    PaymentNotice,
    PaymentTermRequest,
)


class DiscretionLevelInline(admin.TabularInline):
    model = DiscretionLevel
    extra = 0


@admin.register(CaseCause)
class CaseCauseAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "area", "simple_allowed", "serious_harm", "citation_confirmed", "active"]
    list_filter = ["area", "simple_allowed", "serious_harm", "citation_confirmed", "active"]
    list_editable = ["citation_confirmed"]
    search_fields = ["code", "name", "legal_basis", "penalty_basis"]
    filter_horizontal = ["categories"]
    inlines = [DiscretionLevelInline]
    actions = ["confirm_citations"]

    @admin.action(description=_("Confirm the citations of the selected causes"))
    def confirm_citations(self, request, queryset):
        services.cause_confirm_citations(user=request.user, causes=list(queryset))


@admin.register(DiscretionLevel)
class DiscretionLevelAdmin(SimpleHistoryAdmin):
    list_display = ["cause", "level", "fine_min", "fine_max", "warning_allowed"]
    list_filter = ["level", "warning_allowed"]
    search_fields = ["cause__code", "cause__name"]
    raw_id_fields = ["cause"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseLogInline(ReadOnlyInline):
    model = CaseLog
    fields = readonly_fields = ["at", "action", "actor", "reason", "data"]


class CaseRecordInline(ReadOnlyInline):
    model = CaseRecord
    fields = readonly_fields = ["kind", "recorded_at", "interviewee", "content"]


class CaseDocumentInline(ReadOnlyInline):
    model = CaseDocument
    fields = readonly_fields = ["kind", "number", "issued_at", "sha256", "file"]


@admin.register(Case)
class CaseAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "procedure", "status", "cause", "party_name", "fine", "organization", "opened_at", "decision_due"]
    list_filter = ["procedure", "status", "source", "major"]
    search_fields = ["number", "party_name", "facts"]
    date_hierarchy = "opened_at"
    list_select_related = ["cause", "organization"]
    inlines = [CaseRecordInline, CaseDocumentInline, CaseLogInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseExtension)
class CaseExtensionAdmin(SimpleHistoryAdmin):
    list_display = ["case", "days", "requested_by", "requested_at", "approved_by", "approved_at"]
    raw_id_fields = ["case", "requested_by", "approved_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseRecord)
class CaseRecordAdmin(SimpleHistoryAdmin):
    list_display = ["case", "kind", "recorded_at", "interviewee"]
    list_filter = ["kind"]
    search_fields = ["case__number", "content"]
    raw_id_fields = ["case", "created_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseDocument)
class CaseDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "case", "issued_at", "sha256"]
    list_filter = ["kind"]
    search_fields = ["number", "case__number", "sha256"]
    raw_id_fields = ["case", "issued_by"]

    def has_change_permission(self, request, obj=None):
        return False


class PaymentNoticeInline(ReadOnlyInline):
    model = PaymentNotice
    fields = readonly_fields = ["notice_id", "amount_fen", "paid_at", "channel", "received_at"]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "case", "amount_due", "late_fee", "amount_paid", "state", "paid_at"]
    list_filter = ["state"]
    search_fields = ["reference", "case__number"]
    inlines = [PaymentNoticeInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseLog)
class CaseLogAdmin(admin.ModelAdmin):
    list_display = ["case", "action", "actor", "at"]
    list_filter = ["action"]
    search_fields = ["case__number"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EnforcementSubject)
class EnforcementSubjectAdmin(SimpleHistoryAdmin):
    """执法主体: name, credit code, the organisations acting in its name, review organ and court, seal, signer references."""
    list_display = ["name", "uscc", "review_organ", "court", "seal_is_demo"]
    search_fields = ["name", "uscc"]
    filter_horizontal = ["organizations"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Written only through the services (publish, withdraw, file, conclude): the admin reads, with history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    """行政处罚公示 (art. 48)."""
    list_display = ["case", "status", "due_at", "published_at", "published_late", "withdrawal_due", "withdrawn_at", "withdrawn_late"]
    list_filter = ["status", "published_late", "withdrawn_late"]
    search_fields = ["case__number", "decision_number", "cause_name"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "published_by", "withdrawn_by"]


@admin.register(CaseChallenge)
class CaseChallengeAdmin(ReadOnlyAdmin):
    """复议/诉讼 (art. 73)."""
    list_display = ["case", "kind", "filed_on", "organ", "outcome", "outcome_on", "outcome_reference"]
    list_filter = ["kind", "outcome"]
    search_fields = ["case__number", "reference", "outcome_reference", "organ"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "recorded_by", "decided_by"]


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    fields = readonly_fields = ["number", "amount", "due_date", "paid_at", "amount_paid", "late_fee", "reference"]


@admin.register(PaymentTermRequest)
class PaymentTermRequestAdmin(ReadOnlyAdmin):
    """暂缓/分期缴纳 (art. 66)."""
    list_display = ["case", "kind", "outcome", "requested_at", "new_due", "decided_by", "decided_at"]
    list_filter = ["kind", "outcome"]
    search_fields = ["case__number"]
    list_select_related = ["case", "decided_by"]
    raw_id_fields = ["case", "requested_by", "decided_by"]
    inlines = [InstalmentInline]


@admin.register(CashCollection)
class CashCollectionAdmin(ReadOnlyAdmin):
    """当场收缴 and its hand-in (arts. 68–71)."""
    list_display = ["receipt_number", "case", "amount", "ground", "collected_by", "collected_at", "handin_due", "handed_in_at"]
    list_filter = ["ground"]
    search_fields = ["receipt_number", "case__number", "handin_reference"]
    list_select_related = ["case", "collected_by"]
    raw_id_fields = ["case", "collected_by", "handed_in_by"]
