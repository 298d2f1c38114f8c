"""Admin of patrol inspection: checklists with items, plans and assignments, certificates, conflicts, draws, records, self-checks."""
from django.contrib import admin
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from apps.inspection.models import (
    Assignment,
    Checklist,
    ChecklistItem,
    Conflict,
    Draw,
    Finding,
    InspectionRecord,
    InspectorQualification,
    PatrolPlan,
    Rectification,
    RectificationPhoto,
    RecordAnswer,
    SelfCheck,
    SelfCheckAnswer,
)


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ["order", "text", "legal_basis", "cause_code", "category", "is_active"]
    autocomplete_fields = ["category"]


@admin.register(Checklist)
class ChecklistAdmin(SimpleHistoryAdmin):
    list_display = ["name", "place_kind", "is_active"]
    inlines = [ChecklistItemInline]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SimpleHistoryAdmin):
    list_display = ["text", "checklist", "order", "cause_code", "category"]
    list_filter = ["checklist"]
    search_fields = ["text", "cause_code"]
    list_select_related = ["checklist", "category"]


@admin.register(PatrolPlan)
class PatrolPlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "origin", "region_code", "interval_days", "starts_on", "ends_on", "is_active"]
    list_filter = ["origin", "is_active"]
    search_fields = ["name", "region_code"]
    raw_id_fields = ["grid", "squad", "created_by"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["place", "plan", "due_on", "status", "squad"]
    list_filter = ["status"]
    search_fields = ["place__name", "place__city_code"]
    raw_id_fields = ["plan", "place", "squad", "record", "assignees"]
    list_select_related = ["place", "plan", "squad"]
    date_hierarchy = "due_on"


@admin.register(InspectorQualification)
class InspectorQualificationAdmin(SimpleHistoryAdmin):
    list_display = ["badge_number", "user", "region_code", "certificate_valid_until", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["badge_number", "user__username", "user__display_name"]
    raw_id_fields = ["user"]


@admin.register(Conflict)
class ConflictAdmin(SimpleHistoryAdmin):
    list_display = ["inspector", "place", "entity", "reason"]
    raw_id_fields = ["inspector", "place", "entity"]


@admin.register(Draw)
class DrawAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region_code", "place_count", "created_at", "is_published"]
    list_filter = ["is_published"]
    # A draw is evidence of fairness: its inputs and result are never edited by hand.
    readonly_fields = ["region_code", "place_kinds", "place_count", "seed_hex", "algorithm", "candidates", "pool", "conflicts",
                       "inputs_sha256", "result", "created_by", "created_at", "published_at"]


class RecordAnswerInline(admin.TabularInline):
    model = RecordAnswer
    extra = 0
    readonly_fields = ["item", "outcome", "note"]
    can_delete = False


@admin.register(InspectionRecord)
class InspectionRecordAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["place", "inspected_at", "officer", "co_officer", "passed", "uscc_mismatch"]
    list_filter = ["passed", "uscc_mismatch", "identified_by"]
    search_fields = ["place__name", "place__city_code", "uscc"]
    raw_id_fields = ["place", "officer", "co_officer", "draw", "checklist"]
    list_select_related = ["place", "officer", "co_officer"]
    inlines = [RecordAnswerInline]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["place", "item", "created_at", "task", "case_number"]
    raw_id_fields = ["record", "item", "place", "task"]
    list_select_related = ["place", "item", "task"]


class SelfCheckAnswerInline(admin.TabularInline):
    model = SelfCheckAnswer
    extra = 0
    readonly_fields = ["item", "outcome", "note"]
    can_delete = False


@admin.register(SelfCheck)
class SelfCheckAdmin(SimpleHistoryAdmin):
    list_display = ["place", "entity", "submitted_at", "passed"]
    list_filter = ["passed"]
    raw_id_fields = ["place", "entity", "submitted_by", "checklist"]
    list_select_related = ["place", "entity"]
    inlines = [SelfCheckAnswerInline]


class RectificationPhotoInline(admin.TabularInline):
    model = RectificationPhoto
    extra = 0
    fields = ["stage", "image", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    raw_id_fields = ["uploaded_by"]


@admin.register(Rectification)
class RectificationAdmin(SimpleHistoryAdmin):
    list_display = ["place", "item", "origin", "status", "deadline", "issued_at"]
    list_filter = ["origin", "status"]
    list_select_related = ["place", "item"]
    raw_id_fields = ["place", "entity", "item", "self_check", "finding", "issued_by", "answered_by", "decided_by"]
    inlines = [RectificationPhotoInline]
