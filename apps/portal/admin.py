"""Admin of report photos (read mostly: they come from the public form)."""
from django.contrib import admin
from django.utils.html import format_html

from apps.portal.models import ReportPhoto


@admin.register(ReportPhoto)
class ReportPhotoAdmin(admin.ModelAdmin):
    list_display = ("task", "thumbnail", "uploaded_at")
    list_select_related = ("task",)
    search_fields = ("task__number", "task__tracking_code")
    date_hierarchy = "uploaded_at"
    raw_id_fields = ("task",)
    readonly_fields = ("uploaded_at", "thumbnail")

    @admin.display(description="")
    def thumbnail(self, obj):
        return format_html('<img src="{}" style="height:48px">', obj.image.url) if obj.image else ""
