"""Users, their roles and their membership of organisations."""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.gbcp.jurisdiction import EVERYTHING, narrowest
from apps.gbcp.masking import Clearance
from apps.gbcp.validators import validate_phone


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("dispatcher (调度员)")
    OFFICER = "officer", _("officer (执法队员)")
    SQUAD_LEADER = "squad_leader", _("squad leader (中队长)")
    LEGAL_REVIEWER = "legal_reviewer", _("legal reviewer (法制审核)")
    LEADER = "leader", _("leader (负责人)")
    SUPERVISOR = "supervisor", _("supervisor (督察)")
    ANALYST = "analyst", _("analyst (分析员)")
    ADMINISTRATOR = "administrator", _("administrator (管理员)")
    MERCHANT = "merchant", _("merchant (商户)")
    CITIZEN = "citizen", _("citizen (市民)")


STAFF_ROLES = {
    Role.DISPATCHER, Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER,
    Role.LEADER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR,
}
ROLE_CLEARANCE = {
    Role.LEGAL_REVIEWER: Clearance.FULL,
    Role.LEADER: Clearance.FULL,
    Role.ADMINISTRATOR: Clearance.FULL,
    Role.DISPATCHER: Clearance.STAFF,
    Role.OFFICER: Clearance.STAFF,
    Role.SQUAD_LEADER: Clearance.STAFF,
    Role.SUPERVISOR: Clearance.STAFF,
    Role.ANALYST: Clearance.PUBLIC,
    Role.MERCHANT: Clearance.PUBLIC,
    Role.CITIZEN: Clearance.PUBLIC,
}


class User(AbstractUser):
    """A person who signs in: staff, merchant or citizen."""

    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone])
    entity = models.ForeignKey(
        "gbcp.Entity", verbose_name=_("business (for merchants)"), null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    def _memberships(self):
        cached = getattr(self, "_membership_cache", None)
        if cached is None:
            cached = list(self.memberships.filter(is_active=True).select_related("organization__region").defer("organization__region__boundary"))
            self._membership_cache = cached
        return cached

    def jurisdiction_prefixes(self):
        """The region-code prefixes this user's staff memberships cover; ``None`` (everything) for superusers.

        The contract ``apps.gbcp.jurisdiction`` scopes by; apps ask through ``apps.accounts.jurisdiction``.
        """
        if self.is_superuser:
            return EVERYTHING
        return narrowest(m.organization.region.scope for m in self._memberships() if m.role in STAFF_ROLES)

    def roles(self) -> set[str]:
        """Staff roles come from memberships; a merchant is a user tied to a business (``entity``);
        any other signed-in user is a citizen. Membership roles of merchant or citizen count for nothing else."""
        roles = {m.role for m in self._memberships() if m.role in STAFF_ROLES}
        if self.is_superuser:
            roles.add(Role.ADMINISTRATOR)
        if self.entity_id:
            roles.add(Role.MERCHANT)
        if not roles:
            roles.add(Role.CITIZEN)
        return roles

    def has_role(self, *roles) -> bool:
        return bool(self.roles() & set(roles))

    def is_staff_member(self) -> bool:
        return bool(self.roles() & STAFF_ROLES)

    def clearance(self) -> Clearance:
        levels = [ROLE_CLEARANCE[Role(r)] for r in self.roles()]
        return max(levels, default=Clearance.PUBLIC)

    def organizations(self):
        """The organisations the user serves in as staff (see apps.accounts.jurisdiction.staff_organizations)."""
        return list({m.organization_id: m.organization for m in self._memberships() if m.role in STAFF_ROLES}.values())


class Membership(models.Model):
    """A user's role in an organisation; the organisation's region is the jurisdiction."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("gbcp.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class EnforcementCertificate(models.Model):
    """执法证 (APL art. 42): the legal precondition for an officer to be one of the two officers of a case or inspection.

    ``scope`` holds region codes (prefixes) of the areas of enforcement; a certificate covers a place whose region
    code starts with one of them. The inspection app's ``InspectorQualification`` stays the inspection-specific
    qualification (badge, trained fields) that the double-random draws choose from; this is the certificate itself.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")

    officer = models.ForeignKey(User, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=128)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), db_index=True)
    scope = models.JSONField(_("areas of enforcement"), default=list, help_text=_("Region codes (prefixes) the holder may enforce in."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID, db_index=True)
    warned_on = models.DateField(_("last expiry warning"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["warned_on"])

    class Meta:
        verbose_name = _("enforcement certificate")
        verbose_name_plural = _("enforcement certificates")
        ordering = ["officer_id", "-valid_to"]
        constraints = [models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")), name="certificate_valid_range")]

    def __str__(self):
        return self.number

    def covers(self, region_code: str) -> bool:
        return any(region_code.startswith(code) for code in self.scope or [])

    def is_current(self, on_date) -> bool:
        return self.status == self.Status.VALID and self.valid_from <= on_date <= self.valid_to
