"""Forms of the merchant's self-check (自检自查) and of rectifications: one row per checklist item, photos where failed."""
import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.gbcp.forms import MultiplePhotoField
from apps.inspection.models import Outcome

OUTCOME_CHOICES = [(Outcome.PASSED, _("yes")), (Outcome.FAILED, _("no")), (Outcome.NOT_APPLICABLE, _("n/a"))]


def _date_widget():
    return forms.DateInput(attrs={"type": "date"})


class SelfCheckForm(forms.Form):
    """Fields ``outcome_<item>``, ``note_<item>``, ``photos_<item>`` per active item, and the deadline of the fixes."""

    deadline = forms.DateField(label=_("Fix failed items by"), widget=_date_widget())
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=settings.INSPECTION_SELF_CHECK_FIX_DAYS)
        for item in self.items:
            self.fields[f"outcome_{item.pk}"] = forms.ChoiceField(label=item.text, choices=OUTCOME_CHOICES, widget=forms.RadioSelect)
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("What is wrong"), required=False, max_length=500)
            self.fields[f"photos_{item.pk}"] = MultiplePhotoField(label=_("Photo of the problem"), max_photos=3, required=False)

    def rows(self):
        return [{"item": i, "outcome": self[f"outcome_{i.pk}"], "note": self[f"note_{i.pk}"], "photos": self[f"photos_{i.pk}"]} for i in self.items]

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            if cleaned.get(f"outcome_{item.pk}") == Outcome.FAILED and not cleaned.get(f"photos_{item.pk}"):
                self.add_error(f"photos_{item.pk}", _("Add a photo of the problem."))
        return cleaned

    def answers(self) -> list[dict]:
        d = self.cleaned_data
        return [{"item": i.pk, "outcome": d[f"outcome_{i.pk}"], "note": d.get(f"note_{i.pk}", "")} for i in self.items]

    def photos(self) -> dict:
        return {i.pk: self.cleaned_data.get(f"photos_{i.pk}") or [] for i in self.items}


class AnswerForm(forms.Form):
    note = forms.CharField(label=_("What was done"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}))
    photos = MultiplePhotoField(label=_("Photos of the fix (1 to 3)"), max_photos=3)


class IssueForm(forms.Form):
    requirement = forms.CharField(label=_("What must be fixed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}))
    deadline = forms.DateField(label=_("Deadline"), widget=_date_widget())


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}))
