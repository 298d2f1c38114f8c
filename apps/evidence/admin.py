"""Admin of evidence preservation: everything viewable, nothing editable (the log is append-only; files come in through services)."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from apps.evidence.models import Evidence, LogEntry, LogState, SigningKey, TreeHead


class ReadOnlyAdmin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin, LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["id", "kind", "original_name", "region_code", "captured_at", "uploaded_by", "recorded_at", "short_hash", "page"]
    list_filter = ["kind", "media_type"]
    search_fields = ["sha256", "original_name", "region_code", "subject_id", "device"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "recorded_at"

    @admin.display(description=_("SHA-256"))
    def short_hash(self, obj):
        return obj.sha256[:16]

    @admin.display(description=_("page"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("evidence-detail", kwargs={"pk": obj.pk}), _("open"))


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["index", "evidence", "leaf_hash"]
    search_fields = ["leaf_hash", "evidence__sha256"]
    list_select_related = ["evidence"]


@admin.register(TreeHead)
class TreeHeadAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["id", "tree_size", "root_hash", "timestamp", "key_id"]


@admin.register(LogState)
class LogStateAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["id", "size"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Keys change only through `manage.py evidence_rotate_key` (a retired key stays published)."""

    list_display = ["key_id", "status", "valid_from", "valid_until", "note"]
    list_filter = ["status"]
