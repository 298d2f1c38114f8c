"""Admin of stored notifications."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.realtime.models import Notification


@admin.register(Notification)
class NotificationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "recipient", "event", "level", "created_at", "read_at"]
    list_filter = ["event", "level"]
    search_fields = ["title", "body", "recipient__username"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
