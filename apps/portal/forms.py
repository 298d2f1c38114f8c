"""The public report form: point, category, description, photos checked with Pillow, optional contact."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.gbcp.models import Category
from apps.gbcp.forms import MultiplePhotoField
from apps.gbcp.validators import validate_phone



class ReportForm(forms.Form):
    lat = forms.FloatField(widget=forms.HiddenInput, min_value=-90, max_value=90,
                           error_messages={"required": _("Choose the place on the map.")})
    lon = forms.FloatField(widget=forms.HiddenInput, min_value=-180, max_value=180,
                           error_messages={"required": _("Choose the place on the map.")})
    category = forms.ModelChoiceField(label=_("What kind of problem?"), queryset=Category.objects.none(), required=False,
                                      to_field_name="code", empty_label=_("Not sure: let the system guess"))
    description = forms.CharField(label=_("Describe the problem"), min_length=5, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}))
    photos = MultiplePhotoField(max_photos=3, label=_("Photos (up to 3; JPEG, PNG or WebP)"), required=False)
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
