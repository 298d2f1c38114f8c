"""Forms of accounts pages."""
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator"), max_length=6, min_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Six digits."))],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
