"""Admin of evaluation: assessment schemes with their indicators (defined here), the rollup and its runs (read only)."""
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from apps.evaluation.models import AssessmentScheme, DailyRollup, Indicator, RollupRun


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 1


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit_kind", "region", "period_start", "period_end", "published", "published_at"]
    list_filter = ["unit_kind", "published"]
    search_fields = ["name"]
    raw_id_fields = ["region"]
    readonly_fields = ["published_at", "created_by", "created_at"]
    inlines = [IndicatorInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.published_at = (obj.published_at or timezone.now()) if obj.published else None
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DailyRollup)
class DailyRollupAdmin(ReadOnlyAdmin):
    list_display = ["day", "organization", "received", "reached", "accepted", "closed", "solved", "rated", "summons", "computed_at"]
    list_filter = ["day"]
    list_select_related = ["organization"]
    date_hierarchy = "day"


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "trigger", "first_day", "last_day", "days", "rows"]
