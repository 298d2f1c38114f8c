"""Admin of coordination, read-only: leads and joint operations change through their steps (their pages), tokens through the sharing
page (the secret is shown once there), and the access log is never edited."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.coordination.models import (
    JointOperation,
    Lead,
    LeadDocument,
    LeadLog,
    OperationDepartment,
    OperationFinding,
    OperationLog,
    OperationParticipant,
    ShareAccess,
    ShareToken,
)


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


class OperationDepartmentInline(ReadOnly, admin.TabularInline):
    model = OperationDepartment
    extra = 0
    fields = ["department"]


class OperationParticipantInline(ReadOnly, admin.TabularInline):
    model = OperationParticipant
    extra = 0
    fields = ["user", "checked_in_at"]


class OperationFindingInline(ReadOnly, admin.TabularInline):
    model = OperationFinding
    extra = 0
    fields = ["outcome", "category", "department", "task", "case", "recorded_by", "recorded_at"]


class OperationLogInline(ReadOnly, admin.TabularInline):
    model = OperationLog
    extra = 0
    fields = ["at", "action", "actor", "reason", "data"]


@admin.register(JointOperation)
class JointOperationAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["title", "organization", "region_code", "starts_at", "ends_at", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    list_select_related = ["organization"]
    inlines = [OperationDepartmentInline, OperationParticipantInline, OperationFindingInline, OperationLogInline]
