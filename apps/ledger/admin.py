"""Admin of the ledger: every model with history and maps, and an import page that shows the report."""
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from apps.gbcp.errors import ApplicationError
from apps.ledger import services
from apps.ledger.forms import ImportForm
from apps.ledger.models import (
    ComparisonRun,
    Correction,
    EntitySource,
    Finding,
    FrontageAssessment,
    FrontageZone,
    KeyPoint,
    Licence,
    LicenceKind,
    PlaceSource,
    SendBack,
    SourceBatch,
)


@admin.register(LicenceKind)
class LicenceKindAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Licence)
class LicenceAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "holder", "place", "valid_from", "valid_to", "status", "region_code", "source_batch", "source_row"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "holder__name", "holder__uscc", "place__name", "place__city_code"]
    list_select_related = ["kind", "holder", "place", "source_batch"]
    raw_id_fields = ["holder", "place", "issuing_organization", "source_batch"]


@admin.register(FrontageZone)
class FrontageZoneAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "place", "responsible_name", "region_code", "is_active", "source_batch"]
    search_fields = ["code", "place__name", "responsible_name"]
    list_select_related = ["place", "source_batch"]
    raw_id_fields = ["place", "responsible_entity", "source_batch"]


@admin.register(FrontageAssessment)
class FrontageAssessmentAdmin(SimpleHistoryAdmin):
    """Read-only: an assessment is recorded through its page or the API (credit follows it), never edited here."""

    list_display = ["zone", "period", "grade", "entity", "assessor", "region_code", "created_at"]
    list_filter = ["grade"]
    search_fields = ["zone__code", "zone__place__name", "entity__name"]
    list_select_related = ["zone", "entity", "assessor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KeyPoint)
class KeyPointAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "interval_days", "active_from", "active_to", "region_code", "source_batch"]
    search_fields = ["code", "name", "reason"]
    list_select_related = ["source_batch"]
    raw_id_fields = ["place", "source_batch"]


@admin.register(EntitySource)
class EntitySourceAdmin(SimpleHistoryAdmin):
    """Read-only: lineage is written by imports, never by hand."""

    list_display = ("entity", "source_batch", "source_row")
    search_fields = ("entity__name", "entity__uscc")
    list_select_related = ("entity", "source_batch")
    raw_id_fields = ("entity", "source_batch")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlaceSource)
class PlaceSourceAdmin(SimpleHistoryAdmin):
    """Read-only: lineage is written by imports, never by hand."""

    list_display = ("place", "department", "external_id", "source_batch", "source_row")
    search_fields = ("place__name", "place__city_code", "external_id", "department")
    list_select_related = ("place", "source_batch")
    raw_id_fields = ("place", "source_batch")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SourceBatch)
class SourceBatchAdmin(SimpleHistoryAdmin):
    list_display = ["imported_at", "kind", "department", "file_name", "rows_total", "rows_created", "rows_updated", "rows_unchanged", "rows_failed"]
    list_filter = ["kind"]
    search_fields = ["department", "file_name", "file_sha256"]
    readonly_fields = ["file_sha256", "imported_by", "imported_at", "errors"]

    def get_urls(self):
        own = [path("import/", self.admin_site.admin_view(self.import_view), name="ledger_sourcebatch_import")]
        return own + super().get_urls()

    def import_view(self, request):
        """Upload a file; the page shows the import report (the same service as the command)."""
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                report = services.ledger_import(
                    user=request.user, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"],
                    department=form.cleaned_data["department"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
        context = {**self.admin_site.each_context(request), "title": _("Import ledger file"), "form": form, "report": report,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/ledger/import.html", context)


@admin.register(ComparisonRun)
class ComparisonRunAdmin(SimpleHistoryAdmin):
    list_display = ["started_at", "started_by", "region_code", "findings_new", "findings_open", "findings_resolved"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["created_at", "rule", "detail", "department", "region_code", "status"]
    list_filter = ["rule", "status"]
    search_fields = ["detail", "department", "key"]
    raw_id_fields = ["run", "place", "licence", "entity"]


@admin.register(SendBack)
class SendBackAdmin(SimpleHistoryAdmin):
    list_display = ["sent_at", "kind", "department", "sent_by", "file_name", "file_sha256"]
    list_filter = ["kind"]
    exclude = ["content"]
    raw_id_fields = ["correction"]
    filter_horizontal = ["findings"]


@admin.register(Correction)
class CorrectionAdmin(SimpleHistoryAdmin):
    list_display = ["reported_at", "target_type", "target_id", "field", "proposed_value", "reported_by", "status", "reviewed_by"]
    list_filter = ["status", "target_type"]
    raw_id_fields = ["reported_by", "reviewed_by"]
