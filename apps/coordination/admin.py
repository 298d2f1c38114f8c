"""Admin of coordination, read-only: leads change through their workflow (the lead's page), tokens through the sharing
page (the secret is shown once there), and the access log is never edited."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.coordination.models import Lead, LeadDocument, LeadLog, ShareAccess, ShareToken


class ReadOnly:
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LeadLogInline(ReadOnly, admin.TabularInline):
    model = LeadLog
    extra = 0
    fields = ["at", "action", "actor", "reason", "data"]


class LeadDocumentInline(ReadOnly, admin.TabularInline):
    model = LeadDocument
    extra = 0
    fields = ["name", "sha256", "size", "uploaded_by", "uploaded_at"]


@admin.register(Lead)
class LeadAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["number", "direction", "title", "organization", "department", "status", "receipt_due", "feedback_due", "created_at"]
    list_filter = ["direction", "status"]
    search_fields = ["number", "title", "external_ref"]
    list_select_related = ["organization", "department"]
    inlines = [LeadDocumentInline, LeadLogInline]


@admin.register(ShareToken)
class ShareTokenAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["key_id", "organization", "purpose", "region_code", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["organization"]
    exclude = ["secret_hash"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "secret_hash"]


@admin.register(ShareAccess)
class ShareAccessAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "channel", "organization", "user", "dataset", "purpose", "records", "outcome", "reason", "ip"]
    list_filter = ["channel", "outcome", "dataset"]
    list_select_related = ["organization", "user"]
