"""Admin of credit: rule sets as versions (a version in use is copied, never edited), records, grades, objections, risks."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.credit import services
from apps.credit.models import CreditImportBatch, CreditRecord, EntityGrade, GradeRuleSet, Objection, PlaceRisk, PunishmentExport
from apps.gbcp.errors import ApplicationError


@admin.register(GradeRuleSet)
class GradeRuleSetAdmin(SimpleHistoryAdmin):
    list_display = ["version", "name", "is_active", "base_score", "a_min", "b_min", "c_min", "serious_weight", "created_at", "activated_at"]
    readonly_fields = ["version", "is_active", "created_at", "activated_at"]
    actions = ["activate"]

    def save_model(self, request, obj, form, change):
        """Saving a version keeps the old one as it was: the changes become a new, inactive version."""
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            source = GradeRuleSet.objects.get(pk=obj.pk)
            new = services.ruleset_new_version(user=request.user, source=source, **changes)
        else:
            new = services.ruleset_new_version(user=request.user, **changes)
        obj.pk, obj.version = new.pk, new.version
        messages.info(request, _("Saved as version %(v)s; activate it to put it in force.") % {"v": new.version})

    @admin.action(description=_("Activate the selected version (recomputes every grade)"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), level=messages.ERROR)
            return
        try:
            services.ruleset_activate(user=request.user, ruleset=queryset.get())
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)


@admin.register(CreditRecord)
class CreditRecordAdmin(SimpleHistoryAdmin):
    list_display = ["entity", "kind", "weight", "occurred_on", "expires_on", "status", "source_ref", "region_code"]
    list_filter = ["kind", "status"]
    search_fields = ["entity__name", "entity__uscc", "source_ref", "reason"]
    list_select_related = ["entity"]
    raw_id_fields = ["entity", "place", "ruleset"]
    readonly_fields = ["kind", "source_ref", "weight", "rule", "ruleset", "import_batch", "source_row", "created_at", "updated_at"]


@admin.register(EntityGrade)
class EntityGradeAdmin(SimpleHistoryAdmin):
    list_display = ["entity", "grade", "score", "ruleset", "computed_at", "region_code"]
    list_filter = ["grade"]
    search_fields = ["entity__name", "entity__uscc"]
    list_select_related = ["entity", "ruleset"]
    raw_id_fields = ["entity"]
    readonly_fields = ["grade", "score", "ruleset", "base_score", "contributions", "computed_at"]


@admin.register(Objection)
class ObjectionAdmin(SimpleHistoryAdmin):
    list_display = ["entity", "record", "status", "submitted_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["entity__name", "text", "decision_reason"]
    list_select_related = ["entity", "record", "decided_by"]
    raw_id_fields = ["entity", "record", "submitted_by", "decided_by"]


@admin.register(PlaceRisk)
class PlaceRiskAdmin(SimpleHistoryAdmin):
    list_display = ["place", "level", "score", "computed_at", "region_code"]
    list_filter = ["level"]
    search_fields = ["place__name", "place__city_code"]
    list_select_related = ["place"]
    raw_id_fields = ["place"]
    readonly_fields = ["level", "score", "parts", "ruleset", "computed_at"]


class _ReadOnly(SimpleHistoryAdmin):
    """Logs and lineage: written by the services only (upload at /credit/imports/, or ``manage.py credit_import``)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditImportBatch)
class CreditImportBatchAdmin(_ReadOnly):
    list_display = ["created_at", "department", "file_name", "rows_total", "rows_created", "rows_existing", "rows_failed", "created_by"]
    search_fields = ["department", "file_name", "sha256"]
    list_select_related = ["created_by"]


@admin.register(PunishmentExport)
class PunishmentExportAdmin(_ReadOnly):
    list_display = ["exported_at", "exported_by", "format", "rows", "sha256"]
    list_filter = ["format"]
    list_select_related = ["exported_by"]
