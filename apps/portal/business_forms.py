"""Forms of the business pages: sign-up by USCC and phone code, and the staff's targeted notice."""
from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc

from apps.gbcp.models import Entity, Place
from apps.gbcp.validators import validate_phone


def _clean_uscc(value: str) -> str:
    code = stdnum_uscc.compact(value or "")
    if not stdnum_uscc.is_valid(code):
        raise forms.ValidationError(_("This is not a valid unified social credit code (18 characters, with its check character)."))
    return code


class SignupForm(forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=24,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}))
    phone = forms.CharField(label=_("Mobile phone registered for the business"), max_length=20, validators=[validate_phone],
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def clean_uscc(self):
        return _clean_uscc(self.cleaned_data["uscc"])

    def clean_phone(self):
        return "".join(ch for ch in self.cleaned_data["phone"] if ch.isdigit() or ch == "+")


class VerifyForm(forms.Form):
    code = forms.RegexField(label=_("6-digit code from the text message"), regex=r"^\d{6}$", max_length=6,
                            error_messages={"invalid": _("Enter the 6 digits.")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=128)
    body = forms.CharField(label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6, "maxlength": 4000}))
    region_code = forms.RegexField(label=_("Area (region code)"), regex=r"^\d{4,12}$",
                                   help_text=_("District, street or community code: businesses there."))
    place_kinds = forms.MultipleChoiceField(label=_("Only businesses operating these kinds of place"), choices=Place.Kind.choices,
                                            required=False, widget=forms.CheckboxSelectMultiple)
    entity_kinds = forms.MultipleChoiceField(label=_("Only these kinds of business"), choices=Entity.Kind.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    usccs = forms.CharField(label=_("Only these businesses (USCC, one per line)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))
    needs_ack = forms.BooleanField(label=_("Ask the businesses to acknowledge"), required=False, initial=True)

    def __init__(self, *args, entities_in_area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entities_in_area = entities_in_area  # callable(region_code) → the queryset a listed USCC must be in

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip() for line in (cleaned.get("usccs") or "").splitlines() if line.strip()]
        if not lines or not cleaned.get("region_code"):
            cleaned["entities"] = []
            return cleaned
        try:
            codes = [_clean_uscc(line) for line in lines]
        except forms.ValidationError as exc:
            self.add_error("usccs", exc)
            return cleaned
        found = {e.uscc: e for e in self.entities_in_area(cleaned["region_code"]).filter(uscc__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            # Not in the area or the jurisdiction answers like a code that does not exist.
            self.add_error("usccs", _("These businesses do not exist in the area: %(codes)s") % {"codes": ", ".join(missing)})
        cleaned["entities"] = list(found.values())
        return cleaned
