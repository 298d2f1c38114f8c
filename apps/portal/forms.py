"""The public report form: point, category, description, photos checked with Pillow, optional contact."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.dispatch import selectors as dispatch_selectors
from apps.gbcp import idempotency
from apps.gbcp.errors import ApplicationError
from apps.gbcp.forms import MultiplePhotoField
from apps.gbcp.models import Category
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

    # One token per form shown: a resent form (double click, retry after a lost answer) finds the first report.
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submission_token"].initial = idempotency.new_key()
        # Only the categories open to public reports: any other code answers like one that does not exist.
        self.fields["category"].queryset = dispatch_selectors.leaf_categories(public_only=True)

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["submission_token"] = idempotency.clean_key(cleaned.get("submission_token"))
        except ApplicationError as exc:
            self.renew_submission_token()  # so that sending the page again works
            raise forms.ValidationError(_("This form has expired; reload the page and send it again.")) from exc
        return cleaned

    def renew_submission_token(self):
        """A fresh token for the page shown again after a refusal (the old one belongs to another report)."""
        self.data = self.data.copy()
        self.data[self.add_prefix("submission_token")] = idempotency.new_key()

    def clean_reporter_phone(self):
        return (self.cleaned_data.get("reporter_phone") or "").replace(" ", "")
