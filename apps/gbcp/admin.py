"""Admin of the GBCP model: search, filters, map widgets and history on every model."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from apps.gbcp import services
from apps.gbcp.models import (
    AccessLogEntry, CalendarDay, CalendarYear, Category, CityCodeSequence, Entity, Grid, Organization, Person, Place, Region, RetentionRun,
)


class GeoHistoryAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    map_height = "420px"


@admin.register(Region)
class RegionAdmin(GeoHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "geometry_generated"]
    list_filter = ["level", "geometry_generated"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["scope"]


@admin.register(Grid)
class GridAdmin(GeoHistoryAdmin):
    list_display = ["code", "name", "region", "squad", "geometry_generated"]
    list_filter = ["geometry_generated", "region__parent"]
    search_fields = ["code", "name", "region__name"]
    autocomplete_fields = ["region", "squad"]
    list_select_related = ["region", "squad"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "level", "region", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "short_name", "region__name", "region__code"]
    autocomplete_fields = ["region", "parent"]
    filter_horizontal = ["duties"]
    list_select_related = ["region", "parent"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "deadline_amount", "deadline_unit", "is_public", "is_active"]
    list_filter = ["kind", "deadline_unit", "is_public", "is_active"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "uscc", "kind", "region", "city_code"]
    list_filter = ["kind"]
    search_fields = ["name", "uscc", "city_code", "legal_representative"]
    autocomplete_fields = ["region"]
    readonly_fields = ["city_code"]
    list_select_related = ["region"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.entity_create(
            user=request.user, name=obj.name, uscc=obj.uscc, kind=obj.kind, legal_representative=obj.legal_representative,
            contact_phone=obj.contact_phone, address=obj.address, region=obj.region,
        )
        obj.pk, obj.city_code = created.pk, created.city_code


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "id_number", "phone"]
    search_fields = ["name", "id_number", "phone"]


@admin.register(Place)
class PlaceAdmin(GeoHistoryAdmin):
    list_display = ["name", "kind", "space", "region", "grid", "operator", "city_code", "is_active"]
    list_filter = ["kind", "space", "is_active", "region__parent__parent"]
    search_fields = ["name", "city_code", "address", "operator__name"]
    autocomplete_fields = ["operator"]
    readonly_fields = ["city_code", "region", "grid"]
    list_select_related = ["region", "grid", "operator"]

    def save_model(self, request, obj, form, change):
        # Region, grid and city code come from the services, not the form.
        if change:
            fields = {name: getattr(obj, name) for name in form.changed_data if name in {"name", "kind", "space", "point", "footprint", "address", "operator", "is_active"}}
            services.place_update(user=request.user, place=obj, **fields)
            return
        created = services.place_create(
            user=request.user, name=obj.name, kind=obj.kind, space=obj.space, point=obj.point, address=obj.address,
            operator=obj.operator, footprint=obj.footprint,
        )
        obj.pk, obj.city_code, obj.region, obj.grid = created.pk, created.city_code, created.region, created.grid


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """A day edited here becomes "entered by hand" and survives the next load of the official schedule."""

    list_display = ["date", "is_workday", "note", "source"]
    list_filter = ["is_workday", "source"]
    search_fields = ["note"]
    date_hierarchy = "date"
    readonly_fields = ["source"]

    def get_readonly_fields(self, request, obj=None):
        return ["date", "source"] if obj is not None else ["source"]

    def save_model(self, request, obj, form, change):
        saved = services.calendar_day_set(user=request.user, date=obj.date, is_workday=obj.is_workday, note=obj.note)
        obj.pk, obj.source = saved.pk, saved.source


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    """Mark a year provisional when its days are entered before the official notice; loads mark years published."""

    list_display = ["year", "status", "source", "note"]
    list_filter = ["status", "source"]
    readonly_fields = ["source"]

    def get_readonly_fields(self, request, obj=None):
        return ["year", "source"] if obj is not None else ["source"]

    def save_model(self, request, obj, form, change):
        saved = services.calendar_year_set(user=request.user, year=obj.year, status=obj.status, note=obj.note)
        obj.pk, obj.source = saved.pk, saved.source


@admin.register(CityCodeSequence)
class CityCodeSequenceAdmin(admin.ModelAdmin):
    """Read-only: the counters behind city codes must never go back."""

    list_display = ["region_code", "kind", "last"]
    list_filter = ["kind"]
    search_fields = ["region_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("CityEnforce administration")
admin.site.site_title = _("CityEnforce")


class ReadOnlyAdmin(admin.ModelAdmin):
    """The privacy records show what happened; nobody edits or deletes them by hand (the retention job prunes the log)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "subject_type", "subject_id", "subject_label", "purpose", "client_ip")
    list_filter = ("subject_type", "purpose")
    search_fields = ("username", "subject_id")
    date_hierarchy = "at"


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "finished_at", "status", "triggered_by")
    list_filter = ("status",)
