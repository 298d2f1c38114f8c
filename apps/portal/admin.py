"""Admin of the co-governance portal: targeted notices with their receipts; phone codes are read-only (hashes only)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.portal.models import Notice, NoticeRecipient, PhoneCode


class NoticeRecipientInline(admin.TabularInline):
    model = NoticeRecipient
    extra = 0
    fields = ["entity", "sms_status", "read_at", "acknowledged_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "region_code", "created_by", "sent_at"]
    search_fields = ["title", "body"]
    list_select_related = ["created_by"]
    raw_id_fields = ["entities", "created_by"]
    inlines = [NoticeRecipientInline]


@admin.register(PhoneCode)
class PhoneCodeAdmin(admin.ModelAdmin):
    list_display = ["entity", "created_at", "expires_at", "attempts", "used_at"]
    readonly_fields = ["entity", "phone", "code_hash", "created_at", "expires_at", "attempts", "used_at"]
    list_select_related = ["entity"]

    def has_add_permission(self, request):
        return False
