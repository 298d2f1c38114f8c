"""Forms of the duty pages. Every choice (officer, post, grid) is built from what the person may read, so a key of another
district is an invalid choice, like one that does not exist."""
import json

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.utils.translation import gettext_lazy as _

from apps.duty.models import Post, Shift


class ShiftForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}),
                               help_text=_("Not after the start: the shift ends the next day."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Shift.Kind.choices)
    post = forms.ModelChoiceField(label=_("Usual post"), queryset=Post.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, posts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if posts is not None:
            self.fields["post"].queryset = posts


class AssignmentForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None)
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.none(), required=False)

    def __init__(self, *args, officers, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["post"].queryset = posts


class PostForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Post.Kind.choices)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius_m = forms.IntegerField(label=_("Radius (m)"), required=False, min_value=10, max_value=5000)
    area = forms.CharField(label=_("Area (GeoJSON polygon)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    hours_start = forms.TimeField(label=_("Usual hours from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    hours_end = forms.TimeField(label=_("Usual hours to"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids

    def clean_area(self):
        text = (self.cleaned_data.get("area") or "").strip()
        if not text:
            return None
        try:
            json.loads(text)
            shape = GEOSGeometry(text, srid=4326)
        except (GEOSException, ValueError):
            raise forms.ValidationError(_("Give a GeoJSON polygon."))
        if shape.geom_type != "Polygon":
            raise forms.ValidationError(_("Give a GeoJSON polygon."))
        return shape

    def point(self):
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        return Point(lon, lat, srid=4326) if lat is not None and lon is not None else None


class PeakAdoptForm(forms.Form):
    grid = forms.ModelChoiceField(queryset=None)
    weekday = forms.IntegerField(min_value=0, max_value=6)
    hour = forms.IntegerField(min_value=0, max_value=23)

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
