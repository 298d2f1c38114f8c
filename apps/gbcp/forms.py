"""Form fields shared by every app's pages: several photos in one input, each checked; a select that renders its
options without a template per option."""
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
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


class PlainSelect(forms.Select):
    """A ``Select`` whose options are joined in Python instead of rendering Django's option template once per option.

    Same markup as ``forms.Select`` (attributes, ``selected``, option groups), an order of magnitude faster for long
    lists: a filter of 120 categories rendered on every queue page took a third of the page's template time."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        return mark_safe(f"<select{flatatt(final)}>{self._options(self.choices, chosen)}</select>")

    @classmethod
    def _options(cls, choices, chosen) -> str:
        parts = []
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{conditional_escape(key)}">{cls._options(label, chosen)}</optgroup>')
            else:
                text = "" if key is None else str(key)
                mark = " selected" if text in chosen else ""
                parts.append(f'<option value="{conditional_escape(text)}"{mark}>{conditional_escape(label)}</option>')
        return "".join(parts)
