"""Admin of users and memberships, with history."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts.models import Membership, User


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


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "is_active"]
    list_filter = ["role", "is_active", "organization__level"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]
