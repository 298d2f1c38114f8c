"""Admin of stored notifications."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.gbcp.paging import EstimatingPaginator
from apps.realtime.models import Notification


@admin.register(Notification)
class NotificationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "recipient", "event", "level", "created_at", "read_at"]
    search_fields = ["title", "body", "recipient__username"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]
    list_filter = ["event", "level", "created_at"]
    paginator = EstimatingPaginator
    show_full_result_count = False
