"""Forms of the coordination pages: the lead list's filters, drafting and registering a lead, each step's input, and the
sharing page's token, filter and export forms."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.coordination.models import Direction, OperationStatus, Outcome, ShareAccess, Status
from apps.coordination.services.leads import MAX_FEEDBACK_DAYS, MAX_RECEIPT_DAYS
from apps.coordination.sharing import DATASET_CHOICES
from apps.gbcp.models import Category


class LeadFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), required=False, choices=[("", _("any")), *Direction.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any")), ("open", _("open")), *Status.choices])
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Number or title"), required=False, max_length=100)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class _LeadBase(forms.Form):
    organization = forms.ModelChoiceField(label=_("Our unit"), queryset=None)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255, required=False)

    def __init__(self, *args, units, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units
        self.fields["department"].queryset = departments


class LeadCreateForm(_LeadBase):
    task_number = forms.CharField(label=_("Task number (optional)"), max_length=20, required=False)
    case_number = forms.CharField(label=_("Case number (optional)"), max_length=40, required=False)
    attach_linked_evidence = forms.BooleanField(label=_("Attach the evidence of the linked task or case"), required=False, initial=True)
    receipt_days = forms.IntegerField(label=_("Receipt within (working days)"), min_value=1, max_value=MAX_RECEIPT_DAYS, initial=3)
    feedback_days = forms.IntegerField(label=_("Result within (working days)"), min_value=1, max_value=MAX_FEEDBACK_DAYS, initial=30)


class LeadRegisterForm(_LeadBase):
    external_ref = forms.CharField(label=_("The department's reference"), max_length=64, required=False)


class EmptyForm(forms.Form):
    pass


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF)"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class AcknowledgeForm(forms.Form):
    signed_by = forms.CharField(label=_("Signed by"), max_length=64, required=False)
    reference = forms.CharField(label=_("Reference (when recorded for the department)"), max_length=64, required=False)


class AnswerForm(forms.Form):
    accepted = forms.TypedChoiceField(label=_("Answer"), choices=[("1", _("accepted")), ("0", _("refused"))], coerce=lambda v: v == "1",
                                      widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason for refusal"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label=_("Reference (when recorded for the department)"), max_length=64, required=False)


class FeedbackForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    reference = forms.CharField(label=_("Reference (when recorded for the department)"), max_length=64, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AcceptInForm(forms.Form):
    outcome = forms.ChoiceField(label=_("It becomes"), choices=Outcome.choices, widget=forms.RadioSelect)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


# --- data sharing ---------------------------------------------------------------------------------------------------------


class TokenIssueForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Department"), queryset=None)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    datasets = forms.MultipleChoiceField(label=_("Datasets"), choices=DATASET_CHOICES, widget=forms.CheckboxSelectMultiple)
    region_code = forms.CharField(label=_("Region code"), max_length=12, min_length=4)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=settings.COORDINATION_TOKEN_MAX_DAYS, initial=90)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = departments


class AccessFilterForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"), required=False, choices=[("", _("any")), *DATASET_CHOICES])
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", _("any")), *ShareAccess.Outcome.choices])
    organization = forms.ModelChoiceField(label=_("Department"), required=False, queryset=None)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = departments


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(label=_("Dataset"), choices=DATASET_CHOICES)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


# --- joint operations ------------------------------------------------------------------------------------------------


class OperationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    q = forms.CharField(label=_("Title"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all"))] + list(OperationStatus.choices)


class CheckInForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)


class FindingForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Becomes"), choices=[("task", _("a dispatch task for the department")), ("case", _("an enforcement case of ours"))])
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    category = forms.ModelChoiceField(label=_("Category (the department's duty)"), required=False, queryset=None)
    cause_code = forms.CharField(label=_("Case cause code"), required=False, max_length=32)

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories if categories is not None else Category.objects.none()


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class OperationCreateForm(forms.Form):
    """Planning an operation: the duties are offered as "department：item of its duty list" pairs."""

    organization = forms.ModelChoiceField(label=_("Lead unit"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    region = forms.ModelChoiceField(label=_("Area"), queryset=None)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    duties = forms.MultipleChoiceField(label=_("Departments and the duties they bring"), widget=forms.CheckboxSelectMultiple)
    participants = forms.ModelMultipleChoiceField(label=_("People taking part"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units, regions, departments, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units
        self.fields["region"].queryset = regions
        self.fields["participants"].queryset = staff
        self.fields["participants"].label_from_instance = str
        self._pairs = {f"{d.pk}:{c.pk}": (d, c) for d in departments for c in d.duties.all()}
        self.fields["duties"].choices = [(key, f"{d.short_name or d.name}：{c.name}") for key, (d, c) in self._pairs.items()]

    def departments(self):
        """``[(department, [categories]), …]`` from the chosen pairs."""
        grouped = {}
        for key in self.cleaned_data.get("duties", []):
            department, category = self._pairs[key]
            grouped.setdefault(department.pk, (department, []))[1].append(category)
        return list(grouped.values())
