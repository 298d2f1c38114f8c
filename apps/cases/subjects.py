"""The enforcement subject (执法主体): the organ in whose name a penalty is decided, and whose name and seal
every document bears. A squad acts in the name of a street office or a district bureau: the subject of an
organisation is found by walking up the organisation tree to the first organisation listed on a subject.

The subject also names the review organ (复议机关) and the court (管辖法院) printed on the decision with their
limits (art. 59(5)), and the references of its signing key and certificate for the document signer
(apps.cases.signing). Keys themselves are never stored here.
"""
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.gbcp.validators import validate_uscc

REVIEW_DAYS = 60  # 行政复议法 art. 20: 60 days from knowing of the decision (calendar days)
LITIGATION_MONTHS = 6  # 行政诉讼法 art. 46: 6 months (calendar months)


def seal_path(instance, filename):
    return f"cases/seals/{instance.uscc or 'subject'}.png"


class EnforcementSubject(models.Model):
    name = models.CharField(_("name"), max_length=128, unique=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    organizations = models.ManyToManyField("gbcp.Organization", verbose_name=_("organisations acting in its name"), blank=True,
                                           related_name="enforcement_subjects",
                                           help_text=_("The organ itself and the squads acting in its name; sub-units follow their parent."))
    review_organ = models.CharField(_("review organ (复议机关)"), max_length=128)
    review_days = models.PositiveSmallIntegerField(_("days to apply for review"), default=REVIEW_DAYS)
    court = models.CharField(_("competent court (管辖法院)"), max_length=128)
    litigation_months = models.PositiveSmallIntegerField(_("months to bring an action"), default=LITIGATION_MONTHS)
    address = models.CharField(_("address"), max_length=255, blank=True)
    seal_image = models.ImageField(_("seal image"), upload_to=seal_path, blank=True,
                                   help_text=_("Printed on every document. The demo draws one marked 演示样章."))
    seal_is_demo = models.BooleanField(_("demo seal"), default=False)
    signing_key_ref = models.CharField(_("signing key reference"), max_length=255, blank=True,
                                       help_text=_("Where the signer finds the key (a name in the seal platform); never the key itself."))
    certificate_ref = models.CharField(_("certificate reference"), max_length=255, blank=True)
    history = HistoricalRecords(m2m_fields=[organizations])

    class Meta:
        verbose_name = _("enforcement subject (执法主体)")
        verbose_name_plural = _("enforcement subjects (执法主体)")
        ordering = ["name"]

    def __str__(self):
        return self.name


def subject_for(organization):
    """The enforcement subject ``organization`` acts for: its own, else its parent's, up the tree; None if none."""
    seen = set()
    while organization is not None and organization.pk not in seen:
        seen.add(organization.pk)
        subject = EnforcementSubject.objects.filter(organizations=organization).order_by("pk").first()
        if subject is not None:
            return subject
        organization = organization.parent
    return None
