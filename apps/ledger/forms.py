"""Forms of the ledger's staff pages and admin."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.ledger.models import Correction, FrontageAssessment, FrontageZone

IMPORT_KINDS = [("licences", _("licences")), ("zones", _("frontage zones")), ("key_points", _("key points")), ("entities", _("entities")),
                ("places", _("places"))]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=IMPORT_KINDS)
    department = forms.CharField(label=_("source department"), max_length=128)
    file = forms.FileField(label=_("file (CSV or XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        return upload


class SendBackForm(forms.Form):
    department = forms.CharField(label=_("department"), max_length=128)
    fmt = forms.ChoiceField(label=_("format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv")


class ReviewForm(forms.Form):
    accept = forms.BooleanField(required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "—"), *Correction.Status.choices], required=False)


class CorrectionReportForm(forms.Form):
    target_type = forms.ChoiceField(choices=[("licence", _("licence")), ("zone", _("frontage zone")), ("key_point", _("key point")),
                                             ("place", _("place"))], widget=forms.HiddenInput)
    target_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    field = forms.ChoiceField(label=_("field"), choices=[])
    proposed_value = forms.CharField(label=_("proposed value"), max_length=255)
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = list(fields)


MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def frontage_form(duties, **kwargs):
    """The 门前三包 assessment form: the month, passed/failed for each duty the zone carries, a note."""
    labels = dict(FrontageZone.Duty.choices)
    fields = {
        "period": forms.RegexField(label=_("month (YYYY-MM)"), regex=MONTH_PATTERN, max_length=7,
                                   widget=forms.TextInput(attrs={"type": "month"}),
                                   error_messages={"invalid": _("Give the month as YYYY-MM.")}),
    }
    for duty in duties:
        fields[f"duty_{duty}"] = forms.ChoiceField(label=labels[duty], choices=FrontageAssessment.Outcome.choices,
                                                   widget=forms.RadioSelect, initial=FrontageAssessment.Outcome.PASSED)
    fields["note"] = forms.CharField(label=_("note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    return type("FrontageAssessmentForm", (forms.Form,), fields)(**kwargs)
