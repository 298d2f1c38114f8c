"""Reads of accounts: enforcement certificates (执法证), access-aware for the pages, and the art. 42 checks for services."""
import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import staff_organization_ids, staff_members
from apps.accounts.models import EnforcementCertificate, Membership, Role
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Organization

# Roles that enforce in person and must hold a certificate (the page lists these members of an organisation).
CERTIFIED_ROLES = (Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER, Role.LEADER)


class CertificateError(ApplicationError):
    """An officer lacks a valid certificate for the area (missing, not yet valid, expired, suspended, out of scope)."""


def certificate_for(user, region_code: str, on_date: dt.date | None = None) -> EnforcementCertificate:
    """The officer's certificate valid on ``on_date`` (today) whose scope holds ``region_code``; else a clear error.

    The error names the officer and why: no certificate, none valid on the date (expired, not yet valid,
    suspended or revoked), or none for this area. Codes: certificate_missing / certificate_invalid /
    certificate_out_of_scope.
    """
    on_date = on_date or timezone.localdate()
    rows = list(EnforcementCertificate.objects.filter(officer=user).order_by("-valid_to", "-pk"))
    name = str(user)
    if not rows:
        raise CertificateError(_("%(name)s holds no enforcement certificate (执法证) and cannot act as one of the two officers.") % {"name": name},
                               code="certificate_missing", details={"officer": user.pk})
    current = [c for c in rows if c.is_current(on_date)]
    if not current:
        latest = rows[0]
        if latest.status != EnforcementCertificate.Status.VALID:
            reason = latest.get_status_display()
        elif latest.valid_to < on_date:
            reason = _("expired on %(date)s") % {"date": latest.valid_to.isoformat()}
        else:
            reason = _("valid only from %(date)s") % {"date": latest.valid_from.isoformat()}
        raise CertificateError(_("The enforcement certificate %(number)s of %(name)s is not valid: %(reason)s.")
                               % {"number": latest.number, "name": name, "reason": reason},
                               code="certificate_invalid", details={"officer": user.pk, "certificate": latest.number})
    for certificate in current:
        if certificate.covers(region_code or ""):
            return certificate
    raise CertificateError(_("The enforcement certificate %(number)s of %(name)s does not cover this area (%(code)s).")
                           % {"number": current[0].number, "name": name, "code": region_code},
                           code="certificate_out_of_scope", details={"officer": user.pk, "certificate": current[0].number})


def certificate_numbers(users, region_code: str, on_date: dt.date | None = None) -> list[str]:
    """The certificate numbers of ``users`` (in their order) for a document naming the two officers; raises like
    ``certificate_for`` when one of them lacks a valid certificate for the area."""
    return [certificate_for(u, region_code, on_date).number for u in users]


def require_certified(users, region_code: str, on_date: dt.date | None = None) -> None:
    """Every one of ``users`` holds a valid certificate for ``region_code`` (the art. 42 precondition)."""
    for user in users:
        certificate_for(user, region_code, on_date)


# --- the staff page: certificates of one organisation ------------------------------------------------------

def certificate_organizations(viewer) -> list:
    """Organisations whose certificates the viewer may see: those they serve in and those under them."""
    if viewer.is_superuser:
        return list(Organization.objects.select_related("region").defer("region__boundary").order_by("region__code", "pk"))
    own = Organization.objects.filter(pk__in=staff_organization_ids(viewer)).select_related("region").defer("region__boundary")
    scopes = [o.region.scope for o in own]
    if not scopes:
        return []
    rows = Organization.objects.select_related("region").defer("region__boundary").order_by("region__code", "pk")
    return [o for o in rows if any(o.region.code.startswith(s) for s in scopes)]


def organization_for_viewer(viewer, pk) -> Organization:
    for organization in certificate_organizations(viewer):
        if organization.pk == pk:
            return organization
    raise NotFound()


def certificate_rows(*, organization, on_date: dt.date | None = None) -> list[dict]:
    """Each certified member of ``organization`` with their certificates and a warning: missing, expired, expiring
    within CERTIFICATE_WARNING_DAYS, or fine. Two queries whatever the number of members."""
    on_date = on_date or timezone.localdate()
    horizon = on_date + dt.timedelta(days=settings.CERTIFICATE_WARNING_DAYS)
    members = staff_members(organization_ids=[organization.pk], roles=CERTIFIED_ROLES).prefetch_related(
        Prefetch("certificates", queryset=EnforcementCertificate.objects.order_by("-valid_to", "-pk"), to_attr="certificate_list"),
        Prefetch("memberships", queryset=Membership.objects.filter(organization=organization, is_active=True), to_attr="here"),
    )
    rows = []
    for member in members:
        current = [c for c in member.certificate_list if c.is_current(on_date) and c.covers(organization.region.code)]
        if current:
            best = current[0]
            state = "expiring" if best.valid_to <= horizon else "ok"
        else:
            best = member.certificate_list[0] if member.certificate_list else None
            state = "missing" if best is None else "invalid"
        rows.append({"officer": member, "roles": sorted({m.get_role_display() for m in member.here}), "certificate": best,
                     "certificates": member.certificate_list, "state": state,
                     "days_left": (best.valid_to - on_date).days if best is not None else None})
    return rows


def certificates_expiring(on_date: dt.date, days: int):
    """Valid certificates whose last day falls within ``days`` of ``on_date`` and not yet warned about today."""
    return (EnforcementCertificate.objects.filter(status=EnforcementCertificate.Status.VALID, valid_to__gte=on_date,
                                                  valid_to__lte=on_date + dt.timedelta(days=days), officer__is_active=True)
            .exclude(warned_on=on_date).select_related("officer").order_by("valid_to", "pk"))
