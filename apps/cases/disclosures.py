"""Disclosure of penalty decisions (行政执法公示, art. 48; 国办发〔2018〕118号): the record published for everyone, masked.

A general-procedure decision is due for publication within 7 working days (``lawdays.DISCLOSURE``); legal staff
publish it as an explicit step. What the public sees is a snapshot taken at that moment, already masked
(``public_content``): a citizen party as 张某某, no resident ID, no phone number, the place cut to district and
street; an organisation's name and credit code stay, as disclosure does in China. Nothing the public reads comes from
the case itself, so a later edit of the case never reaches the public page. When review or litigation changes,
revokes or finds the decision unlawful, the disclosure is withdrawn within 3 working days (``lawdays.WITHDRAWAL``).
"""
import re

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# 复姓: a compound surname is kept whole (欧阳某某), never cut to its first character.
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐",
    "钟离", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史", "申屠", "闻人", "万俟", "赫连", "濮阳",
)
REMOVED = "[已隐去]"
# An 18-digit resident ID (or the old 15-digit one), a mobile number, a fixed line with its area code, a house number.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)|(?<!\d)\d{8}(?!\d)")
HOUSE_NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十百零〇甲乙丙\-－—]+(?:号楼|号院|号|单元|室|层|栋|幢)")


def masked_person_name(name: str) -> str:
    """张三 → 张某某, 欧阳娜娜 → 欧阳某某: the surname and nothing that tells the name or its length."""
    name = (name or "").strip()
    if not name:
        return ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    return f"{surname}某某"


def scrub(text: str, *, names=()) -> str:
    """Free text for the public: ID numbers and phone numbers removed, house numbers cut, the citizens' ``names`` masked."""
    text = text or ""
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, masked_person_name(name))
    text = ID_NUMBER.sub(REMOVED, text)
    text = MOBILE.sub(REMOVED, text)
    text = LANDLINE.sub(REMOVED, text)
    return HOUSE_NUMBER.sub("**", text)


class Disclosure(models.Model):
    """行政处罚决定公示: one per general-procedure decision; the public fields are masked when it is published."""

    class Status(models.TextChoices):
        DUE = "due", _("to be published (待公示)")
        PUBLISHED = "published", _("published (已公示)")
        WITHDRAWN = "withdrawn", _("withdrawn (已撤回)")

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="disclosure")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DUE, db_index=True)
    due_at = models.DateTimeField(_("to be published by"), help_text=_("The end of the 7th working day after the decision (art. 48, art. 85)."))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_late = models.BooleanField(_("published after the limit"), default=False)
    # --- what the public reads: masked when published, never read from the case afterwards ---
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    organ = models.CharField(_("enforcement organ"), max_length=128, blank=True)
    party_kind = models.CharField(_("party kind"), max_length=16, blank=True)
    party_name = models.CharField(_("party (masked)"), max_length=128, blank=True)
    party_code = models.CharField(_("credit code (organisations only)"), max_length=18, blank=True)
    district_code = models.CharField(_("district code"), max_length=6, blank=True, db_index=True)
    place = models.CharField(_("place (district and street)"), max_length=128, blank=True)
    cause_name = models.CharField(_("cause"), max_length=200, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    penalty_basis = models.TextField(_("penalty basis"), blank=True)
    penalty = models.CharField(_("penalty"), max_length=200, blank=True)
    facts = models.TextField(_("facts (masked)"), blank=True)
    # --- withdrawal when the decision is changed, revoked or found unlawful (art. 48(2)) ---
    withdrawal_due = models.DateTimeField(_("to be withdrawn by"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("withdrawn by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_late = models.BooleanField(_("withdrawn after the limit"), default=False)
    alerts_sent = models.JSONField(_("deadline warnings sent"), default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["alerts_sent"])

    class Meta:
        verbose_name = _("disclosure (行政处罚公示)")
        verbose_name_plural = _("disclosures (行政处罚公示)")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return self.decision_number or f"disclosure {self.pk}"

    @property
    def withdrawal_pending(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.withdrawal_due is not None


# The fields of the public page and API; nothing else of a disclosure (or of its case) is read for them.
PUBLIC_FIELDS = ("id", "decision_number", "decided_on", "organ", "party_kind", "party_name", "party_code", "district_code", "place",
                 "cause_name", "legal_basis", "penalty_basis", "penalty", "facts", "published_at")
