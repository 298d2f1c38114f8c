"""Forms of the data-protection officer's pages: filters of the access log and the subject export request."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.gbcp.validators import is_valid_resident_id


class AccessLogFilterForm(forms.Form):
    reader = forms.CharField(label=_("Reader (user name)"), required=False, max_length=150)
    subject_type = forms.CharField(label=_("Kind of record"), required=False, max_length=64)
    subject_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    purpose = forms.CharField(label=_("Purpose (page or API)"), required=False, max_length=128)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SubjectExportForm(forms.Form):
    FORMATS = [("xlsx", _("Spreadsheet (XLSX)")), ("json", _("JSON"))]

    id_number = forms.CharField(label=_("Resident ID number"), required=False, max_length=18)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    file_format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx")

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        if value and not is_valid_resident_id(value):
            raise forms.ValidationError(_("This is not a valid resident ID number."))
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].replace(" ", "").strip()
        if value and not (value.isdigit() and 7 <= len(value) <= 15):
            raise forms.ValidationError(_("Give the phone number in digits."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("id_number") and not data.get("phone") and not self.errors:
            raise forms.ValidationError(_("Give a resident ID number or a phone number."))
        return data
