"""Forms of the officer's inspection in the browser (巡查即录入 at phone width): find the place, fill the checklist."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.gbcp.forms import MultiplePhotoField
from apps.inspection.models import Outcome


class FindPlaceForm(forms.Form):
    """One of: the QR label photographed with the phone's camera, the city code typed, or the phone's position."""

    qr_photo = forms.ImageField(label=_("Photograph the place's QR label"), required=False,
                                widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    city_code = forms.CharField(label=_("…or type its city code"), required=False, max_length=40,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "latin", "placeholder": "110101P00000001X"}))
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("qr_photo") and not (data.get("city_code") or "").strip() and (data.get("lat") is None or data.get("lon") is None):
            raise forms.ValidationError(_("Photograph the QR label, type the city code or use your position."), code="place_required")
        return data


class RecordForm(forms.Form):
    """The two officers, every item of the place's checklist, photos; a failed item needs a note of what was seen."""

    co_officer = forms.TypedChoiceField(label=_("Second officer"), coerce=int)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultiplePhotoField(max_photos=6, label=_("Photos (up to 6)"), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args, items=(), co_officers=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["co_officer"].choices = [("", _("— choose —"))] + [
            (u.pk, u.get_full_name() or u.username) for u in co_officers if user is None or u.pk != user.pk]
        self.fields["co_officer"].widget.attrs["data-search"] = "people"
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(label=item.text, choices=Outcome.choices, widget=forms.RadioSelect,
                                                               initial=Outcome.PASSED)
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("What was found"), required=False, max_length=500)

    def rows(self):
        """(item, outcome field, note field) per checklist item, in the checklist's order, for the template."""
        return [(item, self[f"item_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def clean(self):
        data = super().clean()
        for item in self.items:
            if data.get(f"item_{item.pk}") == Outcome.FAILED and not (data.get(f"note_{item.pk}") or "").strip():
                self.add_error(f"note_{item.pk}", _("Say what was found."))
        return data

    def answers(self):
        return [{"item": item.pk, "outcome": self.cleaned_data[f"item_{item.pk}"], "note": self.cleaned_data.get(f"note_{item.pk}", "")}
                for item in self.items]
