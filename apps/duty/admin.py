"""Admin of duty (勤务): posts, rosters with their shifts, and who serves on them, each with its history."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.duty.models import Post, Roster, Shift, ShiftAssignment


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["name", "squad", "kind", "grid", "radius_m", "hours_start", "hours_end", "source", "is_active"]
    list_filter = ["kind", "source", "is_active"]
    search_fields = ["name", "squad__name"]
    raw_id_fields = ["squad", "grid", "created_by"]


class ShiftInline(admin.TabularInline):
    model = Shift
    fields = ["date", "start_time", "end_time", "kind", "post", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Roster)
class RosterAdmin(SimpleHistoryAdmin):
    list_display = ["squad", "week_start", "created_by", "created_at"]
    list_filter = ["week_start"]
    search_fields = ["squad__name"]
    raw_id_fields = ["squad", "created_by"]
    inlines = [ShiftInline]


class AssignmentInline(admin.TabularInline):
    model = ShiftAssignment
    fields = ["officer", "post"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(Shift)
class ShiftAdmin(SimpleHistoryAdmin):
    """Read the times here; change them on the roster page or the API (the services check overlaps and membership)."""

    list_display = ["date", "start_time", "end_time", "kind", "squad", "post"]
    list_filter = ["kind", "date"]
    search_fields = ["squad__name", "note"]
    raw_id_fields = ["roster", "squad", "post"]
    readonly_fields = ["roster", "squad", "date", "start_time", "end_time", "starts_at", "ends_at"]
    inlines = [AssignmentInline]


@admin.register(ShiftAssignment)
class ShiftAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "shift", "post"]
    search_fields = ["officer__username", "officer__display_name"]
    raw_id_fields = ["shift", "officer", "post"]
