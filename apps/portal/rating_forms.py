"""The reporter's rating form (综合评价): on the tracking page, and on the page the SMS link opens."""
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from apps.dispatch.models import TaskRating


class RatingForm(forms.Form):
    level = forms.ChoiceField(label=_("How was your problem handled?"), choices=TaskRating.Level.choices, widget=forms.RadioSelect,
                              error_messages={"required": _("Choose one of the three answers.")})
    comment = forms.CharField(label=_("Comment (optional; needed to tell us what is still wrong)"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}))


class TrackRatingForm(RatingForm):
    """On the tracking page, whoever is not the signed-in reporter proves to be the reporter with the last 4 digits of
    the phone number given with the report (the tracking code alone is not enough: it may be shared)."""

    phone_last4 = forms.CharField(
        label=_("Last 4 digits of the phone number you gave with the report"), required=False, min_length=4, max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Enter 4 digits."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}", "maxlength": 4}),
    )

    def __init__(self, *args, needs_digits=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_digits = needs_digits
        if not needs_digits:
            del self.fields["phone_last4"]
        else:
            self.fields["phone_last4"].required = True
