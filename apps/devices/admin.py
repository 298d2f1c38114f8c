"""Admin of devices, shifts, alarms and the raw tables; tokens are rotated and revoked through services."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from apps.devices import services
from apps.devices.models import Alarm, Device, DeviceStatus, NoiseReading, Position, Shift


@admin.register(Device)
class DeviceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "region", "organization", "officer", "vehicle_plate", "place", "is_active", "revoked_at"]
    list_filter = ["kind", "is_active", "noise_zone"]
    search_fields = ["code", "name", "vehicle_plate", "officer__username", "place__name"]
    autocomplete_fields = ["region", "organization", "officer", "place", "grid"]
    readonly_fields = ["code", "token_rotated_at", "revoked_at", "created_at"]
    list_select_related = ["region", "organization", "officer", "place"]
    actions = ["rotate_token", "revoke_token"]

    def save_model(self, request, obj, form, change):
        if change:
            fields = {name: getattr(obj, name) for name in form.changed_data}
            services.device_update(user=request.user, device=Device.objects.get(pk=obj.pk), **fields)
            return
        registered = services.device_register(
            user=request.user, name=obj.name, kind=obj.kind, region=obj.region, organization=obj.organization, officer=obj.officer,
            vehicle_plate=obj.vehicle_plate, place=obj.place, grid=obj.grid, noise_zone=obj.noise_zone,
            limit_day_db=obj.limit_day_db, limit_night_db=obj.limit_night_db,
            report_interval_s=obj.report_interval_s, offline_after_s=obj.offline_after_s,
        )
        obj.pk, obj.code = registered.device.pk, registered.device.code
        # Shown once: only the hash is kept.
        messages.warning(request, _("Token of %(code)s (shown once): %(token)s") % {"code": obj.code, "token": registered.token})

    @admin.action(description=_("Rotate the token (shown once)"))
    def rotate_token(self, request, queryset):
        for device in queryset:
            token = services.device_token_rotate(user=request.user, device=device)
            messages.warning(request, _("Token of %(code)s (shown once): %(token)s") % {"code": device.code, "token": token})

    @admin.action(description=_("Revoke the token"))
    def revoke_token(self, request, queryset):
        for device in queryset:
            services.device_token_revoke(user=request.user, device=device)
        messages.success(request, _("%(n)d tokens revoked.") % {"n": queryset.count()})


@admin.register(Shift)
class ShiftAdmin(SimpleHistoryAdmin):
    list_display = ["device", "grid", "starts_at", "ends_at"]
    search_fields = ["device__code", "device__name", "grid__code"]
    autocomplete_fields = ["device", "grid"]
    list_select_related = ["device", "grid"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.shift_create(user=request.user, device=obj.device, grid=obj.grid, starts_at=obj.starts_at, ends_at=obj.ends_at)
        obj.pk = created.pk


@admin.register(Alarm)
class AlarmAdmin(LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["id", "kind", "state", "severity", "device", "region", "raised_at", "last_seen_at", "cleared_at", "task_id"]
    list_filter = ["kind", "state", "severity"]
    search_fields = ["device__code", "device__name", "message"]
    list_select_related = ["device", "region"]
    readonly_fields = [f.name for f in Alarm._meta.fields if f.name != "point"]
    actions = ["acknowledge", "clear"]

    def has_add_permission(self, request):
        return False  # alarms come from devices

    @admin.action(description=_("Acknowledge"))
    def acknowledge(self, request, queryset):
        for alarm in queryset.filter(state=Alarm.State.RAISED):
            services.alarm_acknowledge(user=request.user, alarm=alarm)

    @admin.action(description=_("Clear"))
    def clear(self, request, queryset):
        for alarm in queryset.exclude(state=Alarm.State.CLEARED):
            services.alarm_clear(user=request.user, alarm=alarm)


@admin.register(DeviceStatus)
class DeviceStatusAdmin(LeafletGeoAdminMixin, admin.ModelAdmin):
    list_display = ["device", "last_seen_at", "position_at", "battery", "laeq", "window_leq"]
    search_fields = ["device__code", "device__name"]
    list_select_related = ["device"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RawAdmin(admin.ModelAdmin):
    """Raw points are read only; the list never counts the whole table (it can hold billions of rows)."""

    show_full_result_count = False
    list_select_related = ["device"]
    search_fields = ["device__code"]
    date_hierarchy = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Position)
class PositionAdmin(RawAdmin):
    list_display = ["device", "recorded_at", "lat", "lon", "speed_kmh", "battery", "received_at"]


@admin.register(NoiseReading)
class NoiseReadingAdmin(RawAdmin):
    list_display = ["device", "recorded_at", "interval_s", "laeq", "lmax", "received_at"]
