"""Forms of the staff pages of patrol inspection."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.gbcp.models import Place

DRAW_KINDS = [(k, label) for k, label in Place.Kind.choices if k in {"restaurant", "shop", "market", "construction_site", "street_segment", "building", "parking", "billboard"}]


class DrawForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=128, required=False)
    region_code = forms.RegexField(label=_("Region code"), regex=r"^\d{4,12}$", help_text=_("District or street code: places whose region code starts with it."))
    place_kinds = forms.MultipleChoiceField(label=_("Place kinds"), choices=DRAW_KINDS, widget=forms.CheckboxSelectMultiple)
    place_count = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=500, initial=5)


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=128)
    region_code = forms.RegexField(label=_("Region code"), regex=r"^\d{4,12}$")
    place_kinds = forms.MultipleChoiceField(label=_("Place kinds"), choices=Place.Kind.choices, widget=forms.CheckboxSelectMultiple)
    interval_days = forms.IntegerField(label=_("Every (days)"), min_value=1, max_value=366, initial=30)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    generate_days = forms.IntegerField(label=_("Generate assignments for (days)"), min_value=1, max_value=366, initial=60)
