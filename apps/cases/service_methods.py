"""Methods of service (送达, art. 61 of the Administrative Penalty Law with the Civil Procedure Law, arts. 87–95)
and the proof each one needs. Pure: the service checks the proof here, then records it on the case.

* direct (直接送达): the person who signed the receipt (签收人);
* left at the residence (留置送达, art. 89): the refusal, and a witness or a photo/video in the evidence log;
* by post (邮寄送达): the postal tracking number; served on the day it was signed for;
* electronic (电子送达, art. 90): only with the party's consent (the consent record) to a named address;
* announcement (公告送达, art. 95): only when the party cannot be reached: where and when it was published
  and why; served when 30 days have passed since publication.
"""
import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.gbcp.errors import ApplicationError

ANNOUNCEMENT_DAYS = 30  # 民事诉讼法 art. 95: deemed served 30 days after the announcement

PROOF_KEYS = ("recipient", "refusal", "witness", "evidence", "tracking_number", "consent_ref", "address", "medium", "published_on", "reason")
REQUIRED = {
    "on_the_spot": ("recipient",),
    "left": ("refusal",),
    "post": ("tracking_number",),
    "electronic": ("consent_ref", "address"),
    "public": ("medium", "published_on", "reason"),
}
TRACKING = re.compile(r"^[A-Z0-9]{8,30}$")


def _missing(field):
    return ApplicationError(_("This method of service needs its proof."), code="proof_required",
                            details={field: [_("This field is required.")]})


def clean_proof(method: str, proof: dict | None, *, evidence_ids=()) -> tuple[dict, dt.datetime | None]:
    """The proof to store for ``method`` and, for an announcement, the moment it counts as served."""
    proof = {k: (str(v).strip() if v is not None else "") for k, v in (proof or {}).items() if k in PROOF_KEYS}
    proof = {k: v for k, v in proof.items() if v}
    for field in REQUIRED.get(method, ()):
        if not proof.get(field):
            raise _missing(field)
    served_at = None
    if method == "left":
        if not proof.get("witness") and not proof.get("evidence"):
            raise _missing("witness")
        if proof.get("evidence") and proof["evidence"] not in {str(i) for i in evidence_ids}:
            raise ApplicationError(_("Choose a photo or video of this case's evidence."), code="invalid_evidence",
                                   details={"evidence": [_("Not evidence of this case.")]})
    elif method == "post":
        proof["tracking_number"] = proof["tracking_number"].upper().replace(" ", "")
        if not TRACKING.match(proof["tracking_number"]):
            raise ApplicationError(_("Not a postal tracking number."), code="invalid_tracking_number",
                                   details={"tracking_number": [_("8 to 30 letters and digits.")]})
    elif method == "public":
        try:
            published = dt.date.fromisoformat(proof["published_on"])
        except ValueError:
            raise ApplicationError(_("Give the date of the announcement."), code="invalid_date", details={"published_on": [_("Enter a date.")]})
        served_at = timezone.make_aware(dt.datetime.combine(published + dt.timedelta(days=ANNOUNCEMENT_DAYS), dt.time.min))
        proof["served_on"] = (published + dt.timedelta(days=ANNOUNCEMENT_DAYS)).isoformat()
    return proof, served_at


LABELS = {
    "recipient": "签收人", "refusal": "拒收情况", "witness": "见证人", "evidence": "留置送达影像（证据编号）",
    "tracking_number": "邮件号码", "consent_ref": "电子送达同意书", "address": "电子送达地址", "medium": "公告载体",
    "published_on": "公告日期", "reason": "公告送达理由", "served_on": "视为送达日期",
}


def proof_rows(proof: dict) -> list[tuple[str, str]]:
    """The proof as (label, value) rows for the service receipt (送达回证)."""
    return [(LABELS[k], str(v)) for k, v in (proof or {}).items() if k in LABELS]
