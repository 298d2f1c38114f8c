"""Enforcement cases (执法办案): the cause catalogue with its discretion levels, cases of both procedures,
their records, extensions, documents, payments and the timeline."""
import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.cases.catalogue import AREAS
from apps.cases.document_kinds import DOCUMENT_KINDS
from apps.workflow.models import StepLog
from apps.workflow.sequences import SequenceCounter


def area_choices():
    """The 13 enforcement areas, from the catalogue module (legal office's list)."""
    return [(code, zh) for code, zh, _en in AREAS]


class Level(models.TextChoices):
    SLIGHT = "slight", _("slight (轻微)")
    ORDINARY = "ordinary", _("ordinary (一般)")
    SERIOUS = "serious", _("serious (严重)")


class CaseCause(models.Model):
    """案由: a violation with its legal and penalty basis, from the catalogue; legal staff confirm citations."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    area = models.CharField(_("area"), max_length=32, choices=area_choices, db_index=True)
    categories = models.ManyToManyField("gbcp.Category", verbose_name=_("categories"), blank=True, related_name="case_causes")
    legal_basis = models.TextField(_("legal basis (违法依据)"), blank=True)
    penalty_basis = models.TextField(_("penalty basis (处罚依据)"), blank=True)
    simple_allowed = models.BooleanField(_("simple procedure allowed"), default=False)
    serious_harm = models.BooleanField(
        _("concerns life, health or financial safety"), default=False,
        help_text=_("With harmful consequences the time bar is five years instead of two (art. 36)."),
    )
    citation_confirmed = models.BooleanField(_("citation confirmed by the legal office"), default=False)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case cause (案由)")
        verbose_name_plural = _("case causes (案由)")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class DiscretionLevel(models.Model):
    """裁量基准: one level of a cause with its conditions and fine range (yuan)."""

    cause = models.ForeignKey(CaseCause, verbose_name=_("cause"), on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    harm = models.TextField(_("harm"), blank=True)
    fine_min = models.DecimalField(_("minimum fine (yuan)"), max_digits=12, decimal_places=2, default=0)
    fine_max = models.DecimalField(_("maximum fine (yuan)"), max_digits=12, decimal_places=2, default=0)
    warning_allowed = models.BooleanField(_("warning allowed"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discretion level (裁量基准)")
        verbose_name_plural = _("discretion levels (裁量基准)")
        constraints = [models.UniqueConstraint(fields=["cause", "level"], name="discretion_level_unique")]

    def __str__(self):
        return f"{self.cause.code} {self.get_level_display()} {self.fine_min}–{self.fine_max}"


class Procedure(models.TextChoices):
    SIMPLE = "simple", _("simple procedure (简易程序)")
    GENERAL = "general", _("general procedure (一般程序)")


class PartyKind(models.TextChoices):
    CITIZEN = "citizen", _("citizen")
    ORGANISATION = "organisation", _("organisation")


class Status(models.TextChoices):
    PENDING_FILING = "pending_filing", _("awaiting filing approval (待立案审批)")
    NOT_FILED = "not_filed", _("not filed (不予立案)")
    INVESTIGATING = "investigating", _("under investigation (调查取证)")
    LEGAL_REVIEW = "legal_review", _("legal review (法制审核)")
    LEADER_APPROVAL = "leader_approval", _("leader approval (负责人审批)")
    APPROVED = "approved", _("approved, notice due (待告知)")
    NOTIFIED = "notified", _("notified, statement period (陈述申辩)")
    DECIDED = "decided", _("decided, to be served (待送达)")
    ONSITE_DECIDED = "onsite_decided", _("decided on the spot, to be filed (待备案)")
    EXECUTING = "executing", _("awaiting payment (执行中)")
    EXECUTED = "executed", _("executed (已执行)")
    CLOSED = "closed", _("closed (结案)")
    ARCHIVED = "archived", _("archived (归档)")


class PaymentTerms(models.TextChoices):
    """Where the party's application to defer or pay in instalments stands (art. 66); empty: none made."""
    PENDING = "pending", _("application awaiting the leader (待审批)")
    DEFERRAL = "deferral", _("deferral approved (暂缓缴纳)")
    INSTALMENTS = "instalments", _("instalments approved (分期缴纳)")
    REFUSED = "refused", _("application refused (不予批准)")


OPEN_STATUSES = [s for s in Status.values if s not in (Status.NOT_FILED, Status.CLOSED, Status.ARCHIVED)]


class Case(models.Model):
    """An enforcement case (案件), simple or general procedure."""

    class Source(models.TextChoices):
        PATROL = "patrol", _("patrol finding")
        TASK = "task", _("dispatched task")
        INSPECTION = "inspection", _("inspection")
        COMPLAINT = "complaint", _("complaint")
        REFERRAL = "referral", _("referral from another department")
        SUPERVISION = "supervision", _("supervision item")

    class ServiceMethod(models.TextChoices):
        ON_THE_SPOT = "on_the_spot", _("handed over on the spot (直接送达)")
        POST = "post", _("by post (邮寄送达)")
        ELECTRONIC = "electronic", _("electronic (电子送达)")
        LEFT = "left", _("left at the address (留置送达)")
        PUBLIC = "public", _("public announcement (公告送达)")

    number = models.CharField(_("case number"), max_length=40, unique=True)
    number_seq = models.PositiveIntegerField(_("sequence in district and year"))
    year = models.PositiveSmallIntegerField(_("year"))
    procedure = models.CharField(_("procedure"), max_length=16, choices=Procedure.choices, default=Procedure.GENERAL)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_ref = models.CharField(_("source reference"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    cause = models.ForeignKey(CaseCause, verbose_name=_("cause"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    place = models.ForeignKey("gbcp.Place", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    point = models.PointField(_("location"), srid=4326, null=True, blank=True)
    region = models.ForeignKey("gbcp.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    region_code = models.CharField(_("region code"), max_length=12, db_index=True)
    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("handling squad"), on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("officer in charge"), null=True, blank=True, on_delete=models.PROTECT, related_name="owned_cases")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("investigating officers"), blank=True, related_name="cases")
    task = models.ForeignKey("dispatch.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    party_kind = models.CharField(_("party kind"), max_length=16, choices=PartyKind.choices, blank=True)
    party_entity = models.ForeignKey("gbcp.Entity", verbose_name=_("party (organisation)"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    party_person = models.ForeignKey("gbcp.Person", verbose_name=_("party (citizen)"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    party_name = models.CharField(_("party name"), max_length=128, blank=True)
    party_code = models.CharField(_("resident ID or credit code"), max_length=18, blank=True)
    party_address = models.CharField(_("party's address"), max_length=255, blank=True,
                                     help_text=_("Residence or registered address, printed on the decision (art. 59); not the place of the violation."))
    facts = models.TextField(_("facts"), blank=True)
    discretion_facts = models.JSONField(_("facts for discretion"), default=dict, blank=True)
    proposal = models.JSONField(_("proposed penalty"), default=dict, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    fine = models.DecimalField(_("fine (yuan)"), max_digits=12, decimal_places=2, default=0)
    warning = models.BooleanField(_("warning"), default=False)
    exempt = models.BooleanField(_("not punished"), default=False)
    departure_reason = models.TextField(_("reason for departing from the proposal"), blank=True)
    major = models.BooleanField(_("major case (collective discussion)"), default=False)
    discussion_date = models.DateField(_("collective discussion on"), null=True, blank=True)
    discussion_attendees = models.TextField(_("attendees"), blank=True)
    discussion_conclusion = models.TextField(_("conclusion"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    not_filed_reason = models.TextField(_("reason for not filing"), blank=True)
    decision_due = models.DateTimeField(_("decision due"), null=True, blank=True, db_index=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    hearing_eligible = models.BooleanField(_("right to a hearing"), default=False)
    hearing_waived = models.BooleanField(_("hearing waived"), default=False)
    hearing_requested_at = models.DateTimeField(_("hearing requested at"), null=True, blank=True)
    hearing_held_at = models.DateTimeField(_("hearing held at"), null=True, blank=True)
    # The hearing as the organ arranges it (arts. 64–65): notice of time and place 7 working days ahead, a presiding
    # officer who did not investigate the case; a request withdrawn (or the hearing refused by absence) is waived.
    hearing_scheduled_for = models.DateTimeField(_("hearing scheduled for"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=255, blank=True)
    hearing_presiding = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("presiding officer (主持人)"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    hearing_notice_at = models.DateTimeField(_("hearing notice given at"), null=True, blank=True)
    hearing_withdrawn_at = models.DateTimeField(_("hearing request withdrawn at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    service_due = models.DateTimeField(_("service due"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    service_method = models.CharField(_("service method"), max_length=16, choices=ServiceMethod.choices, blank=True)
    service_proof = models.JSONField(_("proof of service"), default=dict, blank=True)  # apps.cases.service_methods
    payment_due = models.DateField(_("payment due"), null=True, blank=True)
    payment_terms = models.CharField(_("payment terms (art. 66)"), max_length=16, choices=PaymentTerms.choices, blank=True, default="")
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    onsite_filed_at = models.DateTimeField(_("filed with the organisation at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    alerts_sent = models.JSONField(_("deadline warnings sent"), default=list, blank=True)
    process = models.OneToOneField("viewflow.Process", verbose_name=_("workflow process"), null=True, blank=True, on_delete=models.SET_NULL, related_name="case")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["alerts_sent"])

    class Meta:
        verbose_name = _("case (案件)")
        verbose_name_plural = _("cases (案件)")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "decision_due"], name="case_status_due")]

    def __str__(self):
        return self.number

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def reasons(self):
        return (self.proposal or {}).get("reasons", [])

    @property
    def findings(self):
        return (self.proposal or {}).get("findings", [])


class CaseLog(StepLog):
    """A step on a case: who, when, and why where it turns back (``CaseLog.record(case, action, user, …)``)."""

    subject_field = "case"
    ACTION_LABELS = {
        "open": pgettext_lazy("case log", "case source registered"),
        "file": pgettext_lazy("case log", "filed"),
        "refuse_filing": pgettext_lazy("case log", "filing refused"),
        "assign": pgettext_lazy("case log", "officers assigned"),
        "evidence": pgettext_lazy("case log", "evidence added"),
        "update": pgettext_lazy("case log", "details changed"),
        "set_penalty": pgettext_lazy("case log", "penalty proposed"),
        "submit_review": pgettext_lazy("case log", "sent to legal review"),
        "legal_pass": pgettext_lazy("case log", "passed legal review"),
        "legal_return": pgettext_lazy("case log", "returned by legal review"),
        "collective_discussion": pgettext_lazy("case log", "collective discussion"),
        "leader_approve": pgettext_lazy("case log", "approved by the leader"),
        "leader_return": pgettext_lazy("case log", "returned by the leader"),
        "notify": pgettext_lazy("case log", "party notified"),
        "statement": pgettext_lazy("case log", "statement heard"),
        "hearing_request": pgettext_lazy("case log", "hearing requested"),
        "hearing_schedule": pgettext_lazy("case log", "hearing scheduled and notified"),
        "hearing_held": pgettext_lazy("case log", "hearing held"),
        "hearing_withdraw": pgettext_lazy("case log", "hearing request withdrawn"),
        "payment_terms_request": pgettext_lazy("case log", "deferral or instalments applied for"),
        "payment_terms_approve": pgettext_lazy("case log", "deferral or instalments approved"),
        "payment_terms_refuse": pgettext_lazy("case log", "deferral or instalments refused"),
        "instalment_paid": pgettext_lazy("case log", "instalment paid"),
        "paid": pgettext_lazy("case log", "fine paid"),
        "paid_before_service": pgettext_lazy("case log", "fine paid before service"),
        "enforced": pgettext_lazy("case log", "enforcement recorded"),
        "cash_collect": pgettext_lazy("case log", "fine collected on the spot"),
        "cash_handin": pgettext_lazy("case log", "cash handed in to the bureau"),
        "cash_handin_warning": pgettext_lazy("case log", "cash hand-in warning"),
        "decide": pgettext_lazy("case log", "decided"),
        "document": pgettext_lazy("case log", "document issued"),
        "serve": pgettext_lazy("case log", "served"),
        "extension_request": pgettext_lazy("case log", "extension asked"),
        "extension_approve": pgettext_lazy("case log", "extension approved"),
        "deadline_warning": pgettext_lazy("case log", "deadline warning"),
        "onsite_decide": pgettext_lazy("case log", "decided on the spot"),
        "onsite_file": pgettext_lazy("case log", "on-the-spot decision filed"),
        "close": pgettext_lazy("case log", "closed"),
        "archive": pgettext_lazy("case log", "archived"),
        "disclosure_publish": pgettext_lazy("case log", "decision published"),
        "disclosure_withdraw": pgettext_lazy("case log", "publication withdrawn"),
        "challenge_file": pgettext_lazy("case log", "review or litigation filed"),
        "challenge_decide": pgettext_lazy("case log", "review or litigation concluded"),
    }

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="logs")

    class Meta(StepLog.Meta):
        verbose_name = _("case log entry")
        verbose_name_plural = _("case log")

    def __str__(self):
        return f"{self.case.number} {self.action}"


class CaseRecord(models.Model):
    """询问笔录, 现场检查笔录, 陈述申辩, 听证笔录: what was written down during the case."""

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("inquiry record (询问笔录)")
        INSPECTION = "inspection", _("on-site inspection record (现场检查笔录)")
        STATEMENT = "statement", _("statement and defence (陈述申辩)")
        HEARING = "hearing", _("hearing record (听证笔录)")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    recorded_at = models.DateTimeField(_("recorded at"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    interviewee = models.CharField(_("person heard"), max_length=128, blank=True)
    content = models.TextField(_("content"))
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("officers"), blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case record (笔录)")
        verbose_name_plural = _("case records (笔录)")
        ordering = ["recorded_at", "id"]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"


class CaseExtension(models.Model):
    """An extension of the 90-day decision limit (art. 60), requested by the owner, approved by the leader."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField(_("days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension (延期)")
        verbose_name_plural = _("extensions (延期)")
        ordering = ["requested_at", "id"]


def document_path(instance, filename):
    return f"cases/{instance.case.year}/{instance.case.pk}/{instance.verify_token}.pdf"


def new_token():
    return secrets.token_urlsafe(18)


class CaseDocument(models.Model):
    """A generated PDF of the case (文书), verifiable by anyone through its QR code."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32)
    number = models.CharField(_("document number"), max_length=64, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    verify_token = models.CharField(_("verification token"), max_length=32, unique=True, default=new_token)
    issuer = models.CharField(_("issuer"), max_length=128)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case document (文书)")
        verbose_name_plural = _("case documents (文书)")
        ordering = ["issued_at", "id"]

    def __str__(self):
        return self.number

    @property
    def kind_label(self) -> str:
        """The document's official title (立案审批表 …); the file name and the pages use it, never the code."""
        return DOCUMENT_KINDS.get(self.kind, self.kind)

    @property
    def download_name(self) -> str:
        """案件编号-文书名.pdf: what the officer saves and finds again, instead of a random token."""
        return f"{self.case.number}-{self.kind_label}.pdf"


class CaseNumberSequence(SequenceCounter):
    """Counters behind case and document numbers, one per district, year and kind (``apps.cases.numbering``)."""


class Payment(models.Model):
    """A fine to pay (罚没款), with its reference for the payment provider."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting payment")
        PAID = "paid", _("paid")
        ENFORCED = "enforced", _("enforced (强制执行)")

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="payment")
    reference = models.CharField(_("payment reference"), max_length=40, unique=True)
    amount_due = models.DecimalField(_("fine (yuan)"), max_digits=12, decimal_places=2)
    late_fee = models.DecimalField(_("late fee paid (yuan)"), max_digits=12, decimal_places=2, default=0)
    amount_paid = models.DecimalField(_("amount paid (yuan)"), max_digits=12, decimal_places=2, default=0)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return self.reference


class PaymentNotice(models.Model):
    """A payment notice as received from the provider (idempotent by notice id)."""

    notice_id = models.CharField(_("notice id"), max_length=64, unique=True)
    payment = models.ForeignKey(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="notices")
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    paid_at = models.DateTimeField(_("paid at"))
    channel = models.CharField(_("channel"), max_length=32, blank=True)
    raw = models.JSONField(_("raw notice"), default=dict)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment notice")
        verbose_name_plural = _("payment notices")



from apps.cases.subjects import EnforcementSubject  # noqa: E402,F401 -- the model lives in its own module
from apps.cases.disclosures import Disclosure  # noqa: E402,F401 -- art. 48 disclosure, in its own module
from apps.cases.challenges import CaseChallenge  # noqa: E402,F401 -- art. 73 review and litigation, in its own module
from apps.cases.payment_models import CashCollection, Instalment, PaymentTermRequest  # noqa: E402,F401 -- arts. 66, 68-71
