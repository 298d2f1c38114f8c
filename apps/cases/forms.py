"""Small forms of the case pages: one per action, validated here (400-like errors), the rules in services.

A person chosen in a form (an officer, a co-officer) is chosen among the staff the user may see
(``selectors.staff_list_for_user``): anyone else is not a choice, exactly like someone who does not exist."""
import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.jurisdiction import staff_organization_ids
from apps.accounts.models import Role
from apps.cases.challenges import CaseChallenge
from apps.cases.models import Case, CaseCause, CaseRecord, CashCollection, PartyKind, PaymentTermRequest, Status
from apps.cases.selectors import disclosure_districts, staff_list_for_user

LEVELS = [("slight", _("slight (轻微)")), ("ordinary", _("ordinary (一般)")), ("serious", _("serious (严重)"))]
HARMS = [("none", _("none")), ("slight", _("slight")), ("ordinary", _("ordinary")), ("serious", _("serious"))]


class EmptyForm(forms.Form):
    pass


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(label=_("Result"), choices=[("1", _("pass")), ("0", _("return to investigation"))], coerce=lambda v: v == "1")
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False)


class CaseFactsForm(forms.Form):
    cause = forms.ModelChoiceField(label=_("Cause"), queryset=CaseCause.objects.filter(active=True), required=False)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000, required=False)
    party_kind = forms.ChoiceField(label=_("Party kind"), choices=[("", "—"), *PartyKind.choices], required=False)
    party_name = forms.CharField(label=_("Party name"), max_length=128, required=False)
    party_code = forms.CharField(label=_("Resident ID or credit code"), max_length=18, required=False)
    party_address = forms.CharField(label=_("Party's address"), max_length=255, required=False)
    major = forms.BooleanField(label=_("Major case"), required=False)
    harm = forms.ChoiceField(label=_("Harm"), choices=HARMS, initial="ordinary")
    first_offence = forms.BooleanField(label=_("First offence"), required=False)
    corrected_promptly = forms.BooleanField(label=_("Corrected promptly"), required=False)
    repeat_count = forms.IntegerField(label=_("Earlier violations"), min_value=0, initial=0)
    violation_date = forms.DateField(label=_("Violation date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    consequences = forms.BooleanField(label=_("Harmful consequences"), required=False)

    def discretion_facts(self):
        d = self.cleaned_data
        facts = {k: d[k] for k in ("harm", "first_offence", "corrected_promptly", "repeat_count", "consequences")}
        if d.get("violation_date"):
            facts["violation_date"] = d["violation_date"].isoformat()
        return facts


class PenaltyForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS)
    fine = forms.DecimalField(label=_("Fine (yuan)"), min_value=0, max_digits=12, decimal_places=2)
    warning = forms.BooleanField(label=_("Warning"), required=False)
    exempt = forms.BooleanField(label=_("Not punished"), required=False)
    departure_reason = forms.CharField(label=_("Reason for departing from the proposal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(CaseRecord.Kind.INQUIRY, CaseRecord.Kind.INQUIRY.label), (CaseRecord.Kind.INSPECTION, CaseRecord.Kind.INSPECTION.label)])
    interviewee = forms.CharField(label=_("Person heard"), max_length=128, required=False)
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class OfficersForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(label=_("Officers"), queryset=None)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = staff_list_for_user(user=user).filter(
            memberships__organization_id=case.organization_id if case else None, memberships__role__in=[Role.OFFICER, Role.SQUAD_LEADER], memberships__is_active=True
        ).distinct()


class DiscussionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(label=_("Attendees"), max_length=2000)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class StatementForm(forms.Form):
    content = forms.CharField(label=_("Statement and defence"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    waive_hearing = forms.BooleanField(label=_("The party waives the hearing"), required=False)


class HearingForm(forms.Form):
    record = forms.CharField(label=_("Hearing record"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class ServeForm(forms.Form):
    """The method and its proof; which proof each method needs is checked by the service (apps.cases.service_methods)."""
    method = forms.ChoiceField(label=_("Service method"), choices=Case.ServiceMethod.choices)
    recipient = forms.CharField(label=_("Signed for by (direct)"), max_length=64, required=False)
    refusal = forms.CharField(label=_("How the party refused (left at residence)"), max_length=500, required=False)
    witness = forms.CharField(label=_("Witness (left at residence)"), max_length=64, required=False)
    evidence = forms.IntegerField(label=_("Photo or video evidence no. (left at residence)"), required=False)
    tracking_number = forms.CharField(label=_("Postal tracking number"), max_length=30, required=False)
    consent_ref = forms.CharField(label=_("Consent record (electronic)"), max_length=100, required=False)
    address = forms.CharField(label=_("Consented address (electronic)"), max_length=200, required=False)
    medium = forms.CharField(label=_("Published in (announcement)"), max_length=200, required=False)
    published_on = forms.DateField(label=_("Published on (announcement)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Why the party could not be reached (announcement)"), max_length=500, required=False)

    def proof(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "method" and v not in (None, "")}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Enforcement"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ExtensionApproveForm(forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class OnsiteForm(forms.Form):
    co_officer = forms.ModelChoiceField(label=_("Second officer"), queryset=None)
    cause = forms.ModelChoiceField(label=_("Cause"), queryset=CaseCause.objects.filter(active=True, simple_allowed=True))
    party_kind = forms.ChoiceField(label=_("Party kind"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("Party name"), max_length=128)
    party_code = forms.CharField(label=_("Resident ID or credit code"), max_length=18)
    warning = forms.BooleanField(label=_("Warning only"), required=False)
    amount = forms.DecimalField(label=_("Fine (yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False, initial=0)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False)
    lon = forms.FloatField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = staff_organization_ids(user, roles=(Role.OFFICER,))
        self.fields["co_officer"].queryset = staff_list_for_user(user=user).filter(
            memberships__organization_id__in=orgs, memberships__role=Role.OFFICER, memberships__is_active=True
        ).exclude(pk=getattr(user, "pk", None)).distinct()


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("PDF to check"))


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("all")), *Status.choices], required=False)
    procedure = forms.ChoiceField(label=_("Procedure"), choices=[("", _("all")), ("general", _("general")), ("simple", _("simple"))], required=False)
    q = forms.CharField(label=_("Search"), required=False)
    mine = forms.BooleanField(label=_("Mine"), required=False)


class ChallengeForm(forms.Form):
    """复议/诉讼 filed against the decision (art. 73); the organ defaults to the one printed on the decision."""
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseChallenge.Kind.choices)
    applicant = forms.CharField(label=_("Filed by"), max_length=128)
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))
    organ = forms.CharField(label=_("Review organ or court (blank: as printed on the decision)"), max_length=128, required=False)
    reference = forms.CharField(label=_("Reference of the application"), max_length=64, required=False)


class ChallengeOutcomeForm(forms.Form):
    challenge = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in CaseChallenge.Outcome.choices if c[0] != CaseChallenge.Outcome.PENDING])
    outcome_on = forms.DateField(label=_("Outcome on"), widget=forms.DateInput(attrs={"type": "date"}))
    outcome_reference = forms.CharField(label=_("Document reference"), max_length=64)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False)


class PublicSearchForm(forms.Form):
    """The public disclosure page's search: cause (or decision number), district, decision dates."""
    q = forms.CharField(label=_("Cause or decision number"), max_length=100, required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    date_from = forms.DateField(label=_("Decided from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Decided to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("all")), *disclosure_districts()]


# --- payment terms (art. 66), on-the-spot collection (arts. 68–71), the hearing (arts. 64–65) ---

class PaymentTermsForm(forms.Form):
    """The party's application; an instalment plan is typed one line per payment: amount and date (``500 2026-12-31``)."""
    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentTermRequest.Kind.choices)
    reason = forms.CharField(label=_("The party's economic difficulty"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    new_due = forms.DateField(label=_("New payment date (deferral)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    schedule = forms.CharField(label=_("Instalments: one per line, amount and date (e.g. 500 2026-12-31)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_schedule(self):
        rows = []
        for n, line in enumerate((self.cleaned_data.get("schedule") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.replace(",", " ").replace("，", " ").split()
            try:
                amount, due = Decimal(parts[0]), dt.date.fromisoformat(parts[1])
            except (IndexError, ValueError, ArithmeticError):
                raise forms.ValidationError(_("Line %(n)s: write the amount and the date, e.g. 500 2026-12-31.") % {"n": n})
            rows.append({"amount": amount, "due_date": due})
        return rows

    def clean(self):
        d = super().clean()
        if d.get("kind") == PaymentTermRequest.Kind.DEFERRAL and not d.get("new_due"):
            self.add_error("new_due", _("A deferral needs the new payment date."))
        if d.get("kind") == PaymentTermRequest.Kind.INSTALMENTS and not d.get("schedule"):
            self.add_error("schedule", _("Instalments need their amounts and dates."))
        return d


class PaymentTermsDecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), choices=[("1", _("approve")), ("0", _("refuse"))], coerce=lambda v: v == "1")
    reason = forms.CharField(label=_("Reason (required to refuse)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False)


class InstalmentPayForm(forms.Form):
    instalment = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("Amount paid (yuan)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    reference = forms.CharField(label=_("Bank slip or receipt no."), max_length=64)


class CashCollectForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=CashCollection.Ground.choices)
    receipt_number = forms.CharField(label=_("Official receipt no. (专用票据号)"), max_length=32)
    reason = forms.CharField(label=_("Why paying later is really hard (remote place)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             required=False)


class CashHandinForm(forms.Form):
    reference = forms.CharField(label=_("Bank slip or bureau reference"), max_length=64)


class HearingScheduleForm(forms.Form):
    scheduled_for = forms.DateTimeField(label=_("Hearing date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Hearing place"), max_length=255)
    presiding = forms.ModelChoiceField(label=_("Presiding officer (not an investigator of the case)"), queryset=None)

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presiding"].queryset = staff_list_for_user(user=user)


class HearingWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("How the party withdrew or failed to attend"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
