"""Admin of supervision: the rules the bureau configures (parameters checked per kind, with history) and the items."""
from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.supervision import services
from apps.supervision.models import SupervisionItem, SupervisionLog, SupervisionRule
from apps.supervision.rulekinds import PARAMETERS, defaults


def _parameter_help() -> str:
    return " · ".join(f"{kind}: {defaults(kind)}" for kind in PARAMETERS)


class SupervisionRuleForm(forms.ModelForm):
    class Meta:
        model = SupervisionRule
        fields = ["name", "kind", "enabled", "parameters", "deadline_days", "responsible", "explanation"]
        help_texts = {"parameters": _parameter_help()}


@admin.register(SupervisionRule)
class SupervisionRuleAdmin(SimpleHistoryAdmin):
    form = SupervisionRuleForm
    list_display = ["name", "kind", "enabled", "parameters", "deadline_days", "responsible"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.rule_save(user=request.user, rule=obj)


class SupervisionLogInline(admin.TabularInline):
    model = SupervisionLog
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "reason", "data"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SupervisionItem)
class SupervisionItemAdmin(SimpleHistoryAdmin):
    """Items change through their workflow (the item page); the admin shows them and their history."""

    list_display = ["number", "title", "source", "rule", "organization", "status", "deadline", "created_at"]
    list_filter = ["status", "source", "rule"]
    search_fields = ["number", "title", "cause_key"]
    list_select_related = ["rule", "organization"]
    inlines = [SupervisionLogInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
