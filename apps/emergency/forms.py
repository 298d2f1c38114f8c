"""Forms of the emergency pages: a pre-plan version with its steps, a CAP upload, a note, a closing report."""
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from apps.emergency.models import EventType


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SquadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.region.name}"


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class PlanForm(forms.Form):
    """The pre-plan itself; on an edit the jurisdiction and event type are those of the plan (a new version of it)."""

    region = RegionChoiceField(label=_("Jurisdiction"), queryset=None)
    event_type = forms.ChoiceField(label=_("Event type"), choices=EventType.choices)
    title = forms.CharField(label=_("Title"), max_length=128)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, regions, fixed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if fixed is not None:  # editing: the plan's region and type stay
            for name in ("region", "event_type"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.initial.update(region=fixed.region_id, event_type=fixed.event_type)


class StepForm(forms.Form):
    """One step: squad, where (a grid, or a point), what to do, resources, hours, an optional task category."""

    squad = SquadChoiceField(label=_("Squad"), queryset=None)
    action = forms.CharField(label=_("What to do"), max_length=255)
    grid = NamedChoiceField(label=_("Grid"), queryset=None, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6,
                                  validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=10, decimal_places=6,
                                   validators=[MinValueValidator(-180), MaxValueValidator(180)])
    resources = forms.CharField(label=_("Resources"), max_length=255, required=False)
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1, initial=Decimal("4"),
                               validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(settings.DUTY_MAX_SHIFT_HOURS))])
    category = NamedChoiceField(label=_("Task category"), queryset=None, required=False,
                                help_text=_("With a category the step becomes a dispatch task when the plan is activated."))

    def __init__(self, *args, squads, grids, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["squad"].queryset = squads
        self.fields["grid"].queryset = grids
        self.fields["category"].queryset = categories
        for name in ("latitude", "longitude", "hours"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both latitude and longitude of the point, or neither."), code="point_incomplete")
        return data

    def step(self) -> dict:
        """The PrePlanStep fields of this form (for ``services.plan_publish``)."""
        data = self.cleaned_data
        point = None
        if data.get("latitude") is not None:
            point = Point(float(data["longitude"]), float(data["latitude"]), srid=4326)
        return {"squad": data["squad"], "action": data["action"], "area_grid": data.get("grid"), "point": point,
                "area_region": data["grid"].region if data.get("grid") else data["squad"].region,
                "resources": data.get("resources", ""), "duration_minutes": int(data["hours"] * 60), "category": data.get("category")}


class BaseStepFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self._kept():
            raise forms.ValidationError(_("A pre-plan needs at least one step."), code="no_steps")

    def _kept(self) -> list:
        """The forms that are steps: the plan's own steps unless deleted, and the empty rows that were filled in."""
        return [f for i, f in enumerate(self.forms) if (i < self.initial_form_count() or f.has_changed()) and f.cleaned_data
                and not self._should_delete_form(f)]

    def steps(self) -> list:
        return [f.step() for f in self._kept()]


StepFormSet = forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=2, can_delete=True, max_num=30, validate_max=True)


def step_initial(step) -> dict:
    return {"squad": step.squad_id, "action": step.action, "grid": step.area_grid_id, "resources": step.resources,
            "latitude": round(Decimal(step.point.y), 6) if step.point else None,
            "longitude": round(Decimal(step.point.x), 6) if step.point else None,
            "hours": Decimal(step.duration_minutes) / 60, "category": step.category_id}


class AlertUploadForm(forms.Form):
    document = forms.FileField(label=_("CAP 1.2 file (XML)"))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > settings.EMERGENCY_CAP_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(kb)d KB.") % {"kb": settings.EMERGENCY_CAP_MAX_BYTES // 1024},
                                        code="too_large")
        return upload.read()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    report = forms.CharField(label=_("Closing report"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))
