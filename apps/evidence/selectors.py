"""Reads of evidence by who asks: jurisdiction by the evidence's region code."""
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import covers_code, scope_filter
from apps.evidence.models import Evidence
from apps.gbcp.errors import ApplicationError, NotFound

# Things evidence may be attached to through the API: "app_label.model" -> model label for apps.get_model.
# Each must carry ``region_code``; the model is looked up lazily, so an app that is not installed is simply refused.
SUBJECT_TYPES = {
    "dispatch.task": "dispatch.Task",
    "cases.case": "cases.Case",
    "inspection.inspectionrecord": "inspection.InspectionRecord",
}


def _base():
    return Evidence.objects.select_related("uploaded_by", "subject_type", "log_entry")


def evidence_for_subject(*, subject) -> QuerySet:
    """All evidence of one subject, oldest first; no access check: the caller checked the subject."""
    ct = ContentType.objects.get_for_model(subject)
    return _base().filter(subject_type=ct, subject_id=str(subject.pk)).order_by("recorded_at", "id")


def evidence_list_for_user(*, user, kind=None, subject_type=None, subject_id=None, q=None) -> QuerySet:
    qs = _base().filter(scope_filter(user, "region_code"))
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if kind:
        qs = qs.filter(kind=kind)
    if subject_type:
        app_label, _dot, model = subject_type.partition(".")
        qs = qs.filter(subject_type__app_label=app_label, subject_type__model=model)
    if subject_id:
        qs = qs.filter(subject_id=str(subject_id))
    if q:
        q = q.strip().lower()
        qs = qs.filter(sha256__startswith=q) if len(q) >= 8 and all(ch in "0123456789abcdef" for ch in q) else qs.filter(original_name__icontains=q)
    return qs.order_by("-recorded_at", "-id")


def evidence_get_for_user(*, user, id) -> Evidence:
    """One evidence record if its region lies in the user's jurisdiction; otherwise NotFound (not yours = not there)."""
    try:
        id = int(id)
    except (TypeError, ValueError):
        raise NotFound()
    evidence = evidence_list_for_user(user=user).filter(pk=id).first()
    if evidence is None:
        raise NotFound()
    return evidence


def subject_model(subject_type: str):
    """The registered model for ``subject_type`` (e.g. ``cases.case``), or ApplicationError when unknown or not installed."""
    label = SUBJECT_TYPES.get((subject_type or "").strip().lower())
    model = None
    if label:
        try:
            model = django_apps.get_model(label)
        except (LookupError, ValueError):
            model = None
    if model is None:
        raise ApplicationError(
            _("Evidence cannot be attached to “%(type)s”.") % {"type": subject_type},
            code="evidence_subject_type_unknown", details={"subject_type": [_("unknown subject type")]},
        )
    return model


def subject_get_for_user(*, user, subject_type: str, subject_id):
    """The subject, if the user has jurisdiction over its region code; otherwise NotFound."""
    model = subject_model(subject_type)
    try:
        subject = model._default_manager.filter(pk=subject_id).first()
    except (TypeError, ValueError):
        subject = None
    if subject is None or not covers_code(user, getattr(subject, "region_code", "") or ""):
        raise NotFound()
    return subject
