"""Forms of the dispatch staff pages: queue filters and one small form per workflow action."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.dispatch import selectors
from apps.dispatch.models import Source, Status, Task, TaskRating
from apps.gbcp.forms import MultiplePhotoField, PlainSelect


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("open (any)"))] + list(Status.choices), widget=PlainSelect)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("any"))] + list(Source.choices), widget=PlainSelect)
    alert = forms.ChoiceField(label=_("Alert"), required=False, widget=PlainSelect,
                              choices=[("", _("any")), (Task.Alert.YELLOW, _("yellow")), (Task.Alert.RED, _("red"))])
    category = forms.ChoiceField(label=_("Category"), required=False, widget=PlainSelect)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("any"))] + [(c.code, f"{c.code} {c.name}") for c in selectors.leaf_categories()]


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.leaf_categories()


class DispatchForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Override the route: organisation"), queryset=None, required=False,
                                          empty_label=_("— the routed organisation —"))
    officer = forms.TypedChoiceField(label=_("Officer in charge"), required=False, coerce=int, empty_value=None,
                                     help_text=_("Optional: the officer is told in person; others of the team still see the task."))
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.TextInput)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.dispatch_organizations(task)
        # One query: officers and squad leaders of the organisations the task may go to, grouped by organisation.
        groups = {}
        for m in selectors.dispatch_officers(task):
            groups.setdefault(m.organization.name, []).append((m.user_id, m.user.get_full_name() or m.user.username))
        self.fields["officer"].choices = [("", _("— the team decides —"))] + [(org, people) for org, people in groups.items()]
        self.fields["officer"].widget.attrs["data-search"] = "people"

    def clean(self):
        data = super().clean()
        if data.get("organization") and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the route is overridden."))
        return data


class EmptyForm(forms.Form):
    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReasonForm(EmptyForm):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(EmptyForm):
    result = forms.CharField(label=_("Result"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    solved = forms.TypedChoiceField(label=_("Solved"), choices=[("yes", _("yes")), ("no", _("no"))], coerce=lambda v: v == "yes", initial="yes")
    photos = MultiplePhotoField(max_photos=6, label=_("Photos (up to 6)"), required=False)


class VerifyForm(EmptyForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("approve and close")), ("reject", _("send back"))], widget=forms.RadioSelect)
    # The reporter's answer on the call-back, recorded as a staff rating; "not asked" leaves the task unrated
    # (the reporter then gets the rating link), never satisfied.
    rating = forms.ChoiceField(
        label=_("Reporter's rating on the call-back"), required=False,
        choices=[("", _("not asked"))] + list(TaskRating.Level.choices),
    )
    rating_comment = forms.CharField(label=_("Reporter's comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason (needed to send back)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    complaint_upheld = forms.BooleanField(label=_("The complaint against the business is substantiated (recorded in its credit)"), required=False)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        # Only where a business is known to operate the task's place.
        if task is None or task.place_id is None or task.place.operator_id is None:
            del self.fields["complaint_upheld"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Sending a task back needs a reason."))
        return data


class DeferForm(EmptyForm):
    plan = forms.CharField(label=_("Plan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    target_date = forms.DateField(label=_("Target date"), widget=forms.DateInput(attrs={"type": "date"}))


class WriteOffForm(EmptyForm):
    deferral = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.CharField(label=_("Result"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DeferralForm(EmptyForm):
    deferral = forms.IntegerField(widget=forms.HiddenInput)


class SummonsForm(EmptyForm):
    summons = forms.IntegerField(widget=forms.HiddenInput)


class WhistleForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(label=_("Departments to summon"), queryset=None, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.IntegerField(label=_("Report in within (minutes)"), required=False, min_value=5, max_value=24 * 60)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = selectors.whistle_departments(task)


class DuplicateDecisionForm(EmptyForm):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    merge = forms.TypedChoiceField(choices=[("1", "merge"), ("0", "keep")], coerce=lambda v: v == "1")
