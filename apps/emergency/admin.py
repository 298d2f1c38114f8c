"""Admin of emergency (应急调度): pre-plans with their steps, warnings, incidents with their timeline."""
from django.contrib import admin

from apps.emergency.models import Alert, Incident, IncidentEntry, PrePlan, PrePlanStep


class PrePlanStepInline(admin.TabularInline):
    model = PrePlanStep
    fields = ["order", "squad", "action", "area_region", "area_grid", "resources", "duration_minutes", "category"]
    raw_id_fields = ["squad", "area_region", "area_grid", "category"]
    extra = 0


@admin.register(PrePlan)
class PrePlanAdmin(admin.ModelAdmin):
    list_display = ["title", "event_type", "region", "version", "is_current", "created_at"]
    list_filter = ["event_type", "is_current"]
    search_fields = ["title", "region__name", "region__code"]
    raw_id_fields = ["region", "created_by"]
    inlines = [PrePlanStepInline]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "sender", "identifier", "msg_type", "event_type", "severity", "sent", "is_cancelled"]
    list_filter = ["msg_type", "event_type", "severity", "status", "source", "is_cancelled"]
    search_fields = ["identifier", "sender", "headline", "event"]
    raw_id_fields = ["superseded_by"]
    filter_horizontal = ["regions"]
    readonly_fields = ["xml", "received_at"]


class IncidentEntryInline(admin.TabularInline):
    model = IncidentEntry
    fields = ["at", "kind", "text", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "region", "opened_by", "opened_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title", "region__name"]
    raw_id_fields = ["plan", "alert", "region", "opened_by"]
    inlines = [IncidentEntryInline]
