"""Admin of the wiki: pages (metadata, links, and the text: a changed text is saved as a new revision with a reason),
revisions (read only: they are never changed), proposals (decided on the moderation pages, shown here with history)."""
from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.gbcp.errors import ApplicationError
from apps.wiki import services
from apps.wiki.models import Page, Proposal, Revision


class PageAdminForm(forms.ModelForm):
    body = forms.CharField(label=_("text (Markdown)"), widget=forms.Textarea(attrs={"rows": 20}), required=True)
    reason = forms.CharField(label=_("reason of this change"), max_length=500, required=False)

    class Meta:
        model = Page
        fields = ["kind", "slug", "title", "visibility", "region_code", "causes", "checklists", "checklist_items", "categories"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.current_id:
            self.fields["body"].initial = self.instance.current.body


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    form = PageAdminForm
    list_display = ["title", "slug", "kind", "visibility", "region_code", "updated_at"]
    list_filter = ["kind", "visibility"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["categories"]
    filter_horizontal = ["causes", "checklists", "checklist_items"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        reason = data.get("reason") or str(_("Edited in the admin."))
        try:
            if not change:
                page = services.page_create(user=request.user, kind=data["kind"], slug=data["slug"], title=data["title"], body=data["body"],
                                            reason=reason, visibility=data["visibility"], region_code=data["region_code"])
                obj.pk = page.pk
                obj.refresh_from_db()
                return
            Page.objects.filter(pk=obj.pk).update(kind=obj.kind, slug=obj.slug, visibility=obj.visibility, region_code=obj.region_code)
            current = obj.current
            if current is None or current.body != data["body"].replace("\r\n", "\n").strip() or current.title != data["title"]:
                services.page_edit(user=request.user, page=obj, title=data["title"], body=data["body"], reason=reason)
            obj.refresh_from_db()
        except ApplicationError as exc:
            messages.error(request, exc.message)

    def delete_model(self, request, obj):
        services.page_delete(user=request.user, page=obj)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            services.page_delete(user=request.user, page=page)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["page", "number", "title", "author", "moderator", "reason", "created_at"]
    list_select_related = ["page", "author", "moderator"]
    search_fields = ["page__title", "title", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["page", "proposer", "status", "moderator", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["page", "proposer", "moderator"]
    readonly_fields = ["page", "base", "title", "body", "reason", "proposer", "status", "moderator", "decision_reason", "decided_at",
                       "revision"]

    def has_add_permission(self, request):
        return False
