"""Admin of the task centre: tasks with map and history, dispatch rules per category, partners and their secrets."""
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from apps.dispatch import services
from apps.dispatch.models import (
    CategoryRule,
    Deferral,
    DuplicateCandidate,
    HotlineTicket,
    IntakeKey,
    OutboxMessage,
    Partner,
    Task,
    TaskLog,
    TaskPhoto,
    Whistle,
    WhistleSummons,
)


class TaskLogInline(admin.TabularInline):
    model = TaskLog
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "reason", "data", "at"]

    def has_add_permission(self, request, obj=None):
        return False


class TaskPhotoInline(admin.TabularInline):
    model = TaskPhoto
    extra = 0
    can_delete = False
    fields = ["stage", "thumbnail", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="")
    def thumbnail(self, obj):
        return format_html('<img src="{}" style="height:48px">', obj.image.url) if obj.image else ""


@admin.register(TaskPhoto)
class TaskPhotoAdmin(admin.ModelAdmin):
    list_display = ["task", "stage", "uploaded_by", "uploaded_at"]
    list_filter = ["stage"]
    search_fields = ["task__number", "task__tracking_code"]
    raw_id_fields = ["task", "uploaded_by"]
    date_hierarchy = "uploaded_at"


@admin.register(Task)
class TaskAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "source", "status", "alert", "category", "organization", "received_at", "deadline", "duplicate_count"]
    list_filter = ["status", "source", "alert", "priority", "category__kind"]
    search_fields = ["number", "tracking_code", "description", "address", "external_ref"]
    list_select_related = ["category", "organization"]
    date_hierarchy = "received_at"
    inlines = [TaskLogInline, TaskPhotoInline]
    # Tasks change only through the services (the dispatcher pages and the API), so every step is logged.
    readonly_fields = [f.name for f in Task._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CategoryRule)
class CategoryRuleAdmin(SimpleHistoryAdmin):
    list_display = ["category", "dedup_radius_m", "dedup_window_hours", "merge_threshold", "suggest_threshold"]
    search_fields = ["category__name", "category__code"]
    autocomplete_fields = ["category"]


@admin.action(description=_("Issue a new hotline secret (shown once)"))
def rotate_hotline_secret(modeladmin, request, queryset):
    for partner in queryset:
        secret = services.partner_rotate_hotline_secret(user=request.user, partner=partner)
        messages.warning(request, _("New hotline secret of %(partner)s: %(secret)s") % {"partner": partner, "secret": secret})


@admin.action(description=_("Issue a new Open311 API key (shown once)"))
def rotate_open311_key(modeladmin, request, queryset):
    for partner in queryset:
        key = services.partner_rotate_open311_key(user=request.user, partner=partner)
        messages.warning(request, _("New Open311 API key of %(partner)s: %(key)s") % {"partner": partner, "key": key})


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "reply_url", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    exclude = ["open311_key_hash", "hotline_secret"]
    actions = [rotate_hotline_secret, rotate_open311_key]


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    list_display = ["task", "candidate", "score", "decision", "decided_by", "created_at"]
    list_filter = ["decision"]
    search_fields = ["task__number", "candidate__number"]
    raw_id_fields = ["task", "candidate", "decided_by"]


@admin.register(Deferral)
class DeferralAdmin(SimpleHistoryAdmin):
    list_display = ["task", "target_date", "requested_by", "approved_by", "written_off_at"]
    list_filter = ["target_date"]
    search_fields = ["task__number", "plan"]
    raw_id_fields = ["task", "requested_by", "approved_by", "written_off_by"]


class SummonsInline(admin.TabularInline):
    model = WhistleSummons
    extra = 0
    readonly_fields = ["department", "due_at", "reported_at", "reported_by", "late_minutes"]


@admin.register(Whistle)
class WhistleAdmin(SimpleHistoryAdmin):
    list_display = ["task", "street_office", "blown_by", "blown_at"]
    search_fields = ["task__number", "reason"]
    raw_id_fields = ["task", "blown_by"]
    inlines = [SummonsInline]


@admin.register(WhistleSummons)
class WhistleSummonsAdmin(SimpleHistoryAdmin):
    list_display = ["whistle", "department", "due_at", "reported_at", "late_minutes"]
    list_filter = ["department__kind"]
    search_fields = ["department__name", "whistle__task__number"]
    raw_id_fields = ["whistle", "reported_by"]


@admin.register(HotlineTicket)
class HotlineTicketAdmin(admin.ModelAdmin):
    list_display = ["ticket_number", "partner", "task", "received_at"]
    search_fields = ["ticket_number", "task__number"]
    raw_id_fields = ["task"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["task", "partner", "kind", "state", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["state", "kind"]
    search_fields = ["task__number", "last_error"]
    raw_id_fields = ["task"]


@admin.register(TaskLog)
class TaskLogAdmin(admin.ModelAdmin):
    list_display = ["task", "action", "actor", "at"]
    list_filter = ["action"]
    search_fields = ["task__number", "reason"]
    raw_id_fields = ["task", "actor"]


@admin.register(IntakeKey)
class IntakeKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are written by intake and pruned by the beat."""

    list_display = ["scope", "key", "task", "response_status", "created_at", "expires_at"]
    list_filter = ["scope"]
    search_fields = ["key", "task__number"]
    raw_id_fields = ["task"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
