"""Form fields shared by every app's pages: several photos in one input, each checked."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.gbcp.photos import check_photo


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to max_photos images; each is decoded with Pillow, so a renamed file is refused."""

    def __init__(self, *args, max_photos=3, **kwargs):
        self.max_photos = max_photos
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > self.max_photos:
            raise forms.ValidationError(_("At most %(n)d photos.") % {"n": self.max_photos}, code="too_many")
        return [self._check(super(MultiplePhotoField, self).clean(f, initial)) for f in files]

    def _check(self, upload):
        try:
            return check_photo(upload)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0], code=exc.code)
