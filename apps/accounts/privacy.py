"""Personal data seen from accounts: the access-log middleware (one batch per request), who is the data-protection
officer and what they read (the access log, the retention rules and runs), and the users' own fields declared for the
subject export."""
from django.utils.translation import gettext_lazy as _

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.throttling import client_ip
from apps.gbcp import privacy
from apps.gbcp.errors import NotFound
from apps.gbcp.models import AccessLogEntry, Region, RetentionRun
from apps.gbcp.privacy import access

DATA_PROTECTION_PERMISSION = "gbcp.data_protection"


def is_data_protection_officer(user) -> bool:
    """Superusers, administrators of the whole city, and anyone given the ``gbcp.data_protection`` permission (a DPO
    who is not an administrator). A district's administrator is not: the log spans the city."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm(DATA_PROTECTION_PERMISSION):
        return True
    return user.has_role(Role.ADMINISTRATOR) and city_wide(user)


class AccessLogMiddleware:
    """Gathers the request's unmasked reads of personal data and writes them in one INSERT once the response is built
    (pages and API responses are rendered by then), with who, the page or endpoint (purpose) and the address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with access.collecting() as batch:
            response = self.get_response(request)
            if batch.subjects:
                match = getattr(request, "resolver_match", None)
                batch.user = getattr(request, "user", None)
                batch.purpose = (match.view_name if match else "") or ""
                batch.path = request.path
                batch.client_ip = client_ip(request)
                access.write(batch)
        return response


def register():
    privacy.register(privacy.PersonalData(
        key="accounts.user", model="accounts.User", subject=_("the user (account holder)"),
        fields=(privacy.PersonalField("display_name", "name"), privacy.PersonalField("phone", "phone"),
                privacy.PersonalField("email", "email")),
        match={"phone": "phone"},
        reason=_("Kept while the account exists; an administrator deactivates or deletes an account on request."),
    ))


def _require_officer(user):
    if not is_data_protection_officer(user):
        raise NotFound()


def city_wide(user) -> bool:
    """Whether the user's jurisdiction is the whole city (a district's administrator is not the bureau's DPO)."""
    prefixes = user.jurisdiction_prefixes()
    if prefixes is None:
        return True
    city_scopes = set(Region.objects.filter(level=Region.Level.CITY).values_list("scope", flat=True))
    return bool(city_scopes & set(prefixes))


def access_log_for_user(*, user, reader="", subject_type="", subject_id="", purpose="", since=None, until=None):
    """The access log for the data-protection officer, newest first, filtered; anyone else: not found."""
    _require_officer(user)
    rows = AccessLogEntry.objects.all()
    if reader:
        rows = rows.filter(username=reader)
    if subject_type:
        rows = rows.filter(subject_type=subject_type)
    if subject_id:
        rows = rows.filter(subject_id=subject_id)
    if purpose:
        rows = rows.filter(purpose=purpose)
    if since:
        rows = rows.filter(at__date__gte=since)
    if until:
        rows = rows.filter(at__date__lte=until)
    return rows.order_by("-at", "-id")


def retention_overview_for_user(*, user, runs=20) -> dict:
    """The rules (what, whose, period, action) and the latest retention runs."""
    _require_officer(user)
    rules, labels = [], {}
    for item in privacy.declarations():
        rule = item.retention
        labels[item.key] = item.subject
        rules.append({
            "key": item.key, "subject": item.subject, "fields": field_names(item.model, [p.name for p in item.fields]),
            "reason": item.reason, "days": item.period_days(), "delete": bool(rule and rule.delete),
            "handled_by": rule.handled_by if rule else "",
        })
    recent = list(RetentionRun.objects.order_by("-started_at", "-id")[:runs])
    for run in recent:  # rules by whose data they hold, not by their keys
        run.lines = [(labels.get(key, key), count) for key, count in run.counts.items() if count]
        run.error_lines = [(labels.get(key, key), error) for key, error in run.errors.items()]
    return {"rules": rules, "runs": recent}


KIND_NAMES = {
    "name": _("name"), "phone": _("phone"), "id_number": _("resident ID number"), "email": _("e-mail"),
    "address": _("address"), "opaque": _("identifier"), "plate": _("licence plate"), "reporter": _("reporter"),
}


def field_names(model_label: str, names) -> list[str]:
    """Field names as people read them: the model's verbose names, else the masking kind's name."""
    try:
        meta = apps.get_model(model_label)._meta
    except (LookupError, ValueError):
        meta = None
    shown = []
    for name in names:
        try:
            shown.append(str(meta.get_field(name).verbose_name) if meta else str(KIND_NAMES.get(name, name)))
        except FieldDoesNotExist:
            shown.append(str(KIND_NAMES.get(name, name)))
    return shown


def describe(entries) -> list:
    """Log entries with what was read in words (no query: the models are known by their labels)."""
    for entry in entries:
        entry.fields_text = "、".join(field_names(entry.subject_type, entry.fields))
    return entries


def masked_ip(address) -> str:
    """An address as the masked export shows it: the last part of IPv4 or the last 80 bits of IPv6 hidden."""
    if not address:
        return ""
    if ":" in address:
        return ":".join(address.split(":")[:3]) + ":*"
    return ".".join(address.split(".")[:3]) + ".*"
