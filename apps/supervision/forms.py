"""Forms of the supervision pages: the queue's filters, creating an item, and each step's input."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.supervision.models import Alert, Source, Status
from apps.supervision.services.items import MAX_DEADLINE_DAYS

ALERT_CHOICES = [("", _("any")), (Alert.YELLOW, _("yellow")), (Alert.RED, _("red")), ("none", _("on time"))]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any")), ("open", _("open")), *Status.choices])
    alert = forms.ChoiceField(label=_("Warning"), required=False, choices=ALERT_CHOICES)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("any")), *Source.choices])
    mine = forms.BooleanField(label=_("My unit's"), required=False)


class ItemCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    organization = forms.ModelChoiceField(label=_("Responsible unit"), queryset=None)
    deadline_days = forms.IntegerField(label=_("Deadline (working days)"), min_value=1, max_value=MAX_DEADLINE_DAYS, initial=5)
    task_number = forms.CharField(label=_("Task number (optional)"), max_length=20, required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class EmptyForm(forms.Form):
    pass


class DispatchForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Send to another unit"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class ResultForm(forms.Form):
    result = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 3}))
