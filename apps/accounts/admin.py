"""Admin of users and memberships, with history."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts import otp
from apps.accounts.models import EnforcementCertificate, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "display_name", "phone", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "memberships__role"]
    search_fields = ["username", "display_name", "phone", "email"]
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + ((_("CityEnforce"), {"fields": ("display_name", "phone", "entity")}),)
    autocomplete_fields = ["entity"]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (the user enrols again)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        for target in queryset:
            count = otp.device_reset(user=request.user, target=target)
            self.log_change(request, target, f"second factor reset ({count} device(s) removed)")
        self.message_user(request, _("Second factor reset for %(n)d user(s).") % {"n": queryset.count()})


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "is_active"]
    list_filter = ["role", "is_active", "organization__level"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


class CertificateInline(admin.TabularInline):
    model = EnforcementCertificate
    fk_name = "officer"
    extra = 0
    fields = ["number", "issuing_authority", "valid_from", "valid_to", "scope", "status"]


UserAdmin.inlines = [MembershipInline, CertificateInline]


@admin.register(EnforcementCertificate)
class EnforcementCertificateAdmin(SimpleHistoryAdmin):
    list_display = ["number", "officer", "issuing_authority", "valid_from", "valid_to", "status"]
    list_filter = ["status", "issuing_authority"]
    search_fields = ["number", "officer__username", "officer__display_name"]
    autocomplete_fields = ["officer"]
    list_select_related = ["officer"]
    date_hierarchy = "valid_to"
