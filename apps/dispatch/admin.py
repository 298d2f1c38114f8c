"""Admin of the task centre: tasks with map and history, dispatch rules per category, partners and their secrets."""
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from apps.dispatch import overdue, services
from apps.gbcp.paging import EstimatingPaginator
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
    TaskRating,
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
        return photo_thumbnail(obj)


def photo_thumbnail(photo):
    """The photo through its access-checked view (there is no /media/ URL), as a thumbnail linking to the full size."""
    if not photo.pk or not photo.image:
        return ""
    url = reverse("dispatch-task-photo", kwargs={"pk": photo.pk})
    return format_html('<a href="{}"><img src="{}?size=thumb" alt="" style="height:48px"></a>', url, url)


@admin.register(TaskPhoto)
class TaskPhotoAdmin(admin.ModelAdmin):
    list_display = ["task", "stage", "preview", "uploaded_by", "uploaded_at"]
    list_filter = ["stage"]
    search_fields = ["task__number", "task__tracking_code"]
    list_select_related = ["task", "uploaded_by"]
    date_hierarchy = "uploaded_at"
    # Photos come with reports and feedback (services); here they are looked at, never replaced by hand.
    fields = ["task", "stage", "preview", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("image"))
    def preview(self, obj):
        return photo_thumbnail(obj)

    def has_add_permission(self, request):
        return False


class DeadlineStateFilter(admin.SimpleListFilter):
    """Overdue / four fifths used, judged from the deadline now (not from the sweep's stored alert)."""

    title = _("deadline alert")
    parameter_name = "deadline_state"

    def lookups(self, request, model_admin):
        return [(overdue.RED, _("red: overdue")), (overdue.YELLOW, _("yellow: four fifths of the time used"))]

    def queryset(self, request, queryset):
        return overdue.filter_state(queryset, self.value()) if self.value() else queryset


@admin.register(Task)
class TaskAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "source", "status", "deadline_alert", "category", "organization", "received_at", "deadline", "duplicate_count"]
    list_filter = ["status", "source", DeadlineStateFilter, "priority", "category__kind", "received_at"]
    search_fields = ["number", "tracking_code", "description", "address", "external_ref"]
    list_select_related = ["category", "organization"]
    # A million tasks: no exact count of the whole table and no date drill-down (its year list reads every row); the
    # received-at filter and the estimated count keep the list under the 300 ms goal (bench/staff_lists.py).
    paginator = EstimatingPaginator
    show_full_result_count = False
    list_per_page = 50  # rendering the rows, not the SQL, is what costs here at scale
    inlines = [TaskLogInline, TaskPhotoInline]
    # Tasks change only through the services (the dispatcher pages and the API), so every step is logged.
    # "alert" is what the sweep has notified; the deadline state shown is computed now.
    exclude = ["alert"]
    readonly_fields = [f.name for f in Task._meta.fields if f.name != "alert"] + ["deadline_alert"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deadline_state=overdue.deadline_state())

    @admin.display(description=_("deadline alert"), ordering="deadline")
    def deadline_alert(self, obj):
        state = getattr(obj, "deadline_state", None)
        if state is None:
            state = overdue.state_of(obj)
        return dict(Task.Alert.choices).get(state, "") if state else "—"


@admin.register(TaskRating)
class TaskRatingAdmin(SimpleHistoryAdmin):
    """Ratings come from the reporter (portal, SMS link, 12345, call-back): read here, never written or changed by hand."""

    list_display = ["task", "level", "channel", "rated_at", "rated_by"]
    list_filter = ["level", "channel"]
    search_fields = ["task__number", "task__tracking_code"]
    list_select_related = ["task", "rated_by"]
    date_hierarchy = "rated_at"
    readonly_fields = ["task", "level", "comment", "channel", "rated_by", "rated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
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
    list_select_related = ["task", "actor"]
    paginator = EstimatingPaginator
    show_full_result_count = False
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
