"""Photos that citizens attach to their reports, stored under MEDIA_ROOT/reports/<tracking code>/."""
import os
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def photo_path(instance, filename):
    # A random name: the files are served from /media/ and must not be guessable.
    ext = os.path.splitext(filename)[1].lower() or ".jpg"
    return f"reports/{instance.task.tracking_code}/{uuid.uuid4().hex}{ext}"


class ReportPhoto(models.Model):
    """A photo of the problem, as uploaded with a citizen report."""

    task = models.ForeignKey("dispatch.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="portal_photos")
    image = models.ImageField(_("image"), upload_to=photo_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.image.name
