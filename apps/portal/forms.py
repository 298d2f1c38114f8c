"""The public report form: point, category, description, photos checked with Pillow, optional contact."""
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

from apps.gbcp.models import Category
from apps.gbcp.validators import validate_phone

MAX_PHOTOS = 3
ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_PIXELS = 50_000_000  # larger is a decompression bomb, not a phone photo


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to MAX_PHOTOS images; each is decoded with Pillow, so a renamed file is refused."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS}, code="too_many")
        return [self._check(super(MultiplePhotoField, self).clean(f, initial)) for f in files]

    def _check(self, upload):
        if upload.size > settings.CITIZEN_PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("“%(name)s” is too large (%(size)s; at most %(max)s).")
                % {"name": upload.name, "size": filesizeformat(upload.size), "max": filesizeformat(settings.CITIZEN_PHOTO_MAX_BYTES)},
                code="too_large",
            )
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                fmt = image.format
                if image.width * image.height > MAX_PIXELS:
                    raise ValueError("too many pixels")
                image.verify()
            # verify() leaves the image unusable; a full decode catches truncated JPEGs too.
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
        except Exception:
            raise forms.ValidationError(_("“%(name)s” is not a photo we can read.") % {"name": upload.name}, code="not_an_image")
        if fmt not in ALLOWED_FORMATS:
            raise forms.ValidationError(_("“%(name)s”: only JPEG, PNG or WebP photos.") % {"name": upload.name}, code="bad_format")
        upload.seek(0)
        # The stored name follows the real format, never the name the browser sent.
        upload.name = "photo" + ALLOWED_FORMATS[fmt]
        return upload


class ReportForm(forms.Form):
    lat = forms.FloatField(widget=forms.HiddenInput, min_value=-90, max_value=90,
                           error_messages={"required": _("Choose the place on the map.")})
    lon = forms.FloatField(widget=forms.HiddenInput, min_value=-180, max_value=180,
                           error_messages={"required": _("Choose the place on the map.")})
    category = forms.ModelChoiceField(label=_("What kind of problem?"), queryset=Category.objects.none(), required=False,
                                      to_field_name="code", empty_label=_("Not sure: let the system guess"))
    description = forms.CharField(label=_("Describe the problem"), min_length=5, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}))
    photos = MultiplePhotoField(label=_("Photos (up to 3; JPEG, PNG or WebP)"), required=False)
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=64, required=False)
    reporter_phone = forms.CharField(label=_("Your phone (optional, for a call-back)"), max_length=32, required=False,
                                     validators=[validate_phone], widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            Category.objects.filter(is_active=True, is_public=True).exclude(deadline_unit="").order_by("code")
        )

    def clean_reporter_phone(self):
        return (self.cleaned_data.get("reporter_phone") or "").replace(" ", "")
