"""The retention job: anonymise (or, where declared, delete) the personal data whose period has run out.

For every declaration with a retention rule: rows whose ``since`` date is older than the period and whose ``where``
holds, and that still hold personal data, are changed in batches, each batch in its own transaction, the same
change applied to the record's history rows (django-simple-history keeps copies of every version). Anonymised rows
no longer match, so a second run finds nothing (idempotent). A dry run counts and changes nothing, not even the run
record. Evidence files and the evidence log are never touched (the registry refuses them).
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.gbcp.masking import Clearance, mask
from apps.gbcp.privacy import registry
from apps.gbcp.privacy.models import RetentionRun

logger = logging.getLogger("cityenforce.privacy")


def cutoff(item: registry.PersonalData, now) -> object:
    """The moment before which ``since`` means expired."""
    return now - timedelta(days=item.period_days())


def still_personal(item: registry.PersonalData) -> Q:
    """Rows that still hold something the rule would change (so anonymised rows are not counted twice)."""
    condition = Q()
    for personal in item.fields:
        name = personal.name
        if personal.action == registry.NULL:
            part = Q(**{f"{name}__isnull": False})
        elif personal.action == registry.MARKER:
            part = ~Q(**{name: ""}) & ~Q(**{name: registry.MARKER_TEXT})
        elif personal.action == registry.MASK:
            part = ~Q(**{name: ""}) & ~Q(**{f"{name}__contains": "*"})
        else:
            part = ~Q(**{name: ""})
        condition |= part & Q(**{f"{name}__isnull": False})
    return condition


def expired(item: registry.PersonalData, now):
    """The rows of ``item`` whose personal data has expired and is still there."""
    rule = item.retention
    moment = cutoff(item, now)
    rows = item.model_class()._default_manager.filter(**{f"{rule.since}__lt": moment})
    if rule.where is not None:
        rows = rows.filter(rule.where(moment) if callable(rule.where) else rule.where)
    if not rule.delete:
        rows = rows.filter(still_personal(item))
    # ``since`` or ``where`` may cross a many-valued relation (a person's cases): count each record once.
    return rows.distinct() if "__" in rule.since else rows


def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _anonymise(rows_qs, item: registry.PersonalData, pk_name: str, pks) -> None:
    """Apply the rule's actions to the rows with primary keys ``pks`` of ``rows_qs``'s model (or its history)."""
    model = rows_qs.model
    names = {f.name for f in model._meta.get_fields()}
    fixed, masked = {}, []
    for personal in item.fields:
        if personal.name not in names:  # a field the history leaves out
            continue
        if personal.action == registry.MASK:
            masked.append(personal)
        else:
            fixed[personal.name] = {registry.NULL: None, registry.MARKER: registry.MARKER_TEXT}.get(personal.action, "")
    rows = rows_qs.filter(**{f"{pk_name}__in": pks})
    for name, value in fixed.items():
        # Only rows that hold something: a blank stays blank, not turned into the marker.
        rows.exclude(Q(**{f"{name}__isnull": True}) | Q(**{name: ""})).update(**{name: value})
    if masked:
        objects = list(rows.only(model._meta.pk.name, *(p.name for p in masked)))
        for obj in objects:
            for personal in masked:
                value = getattr(obj, personal.name)
                if value and "*" not in value:
                    setattr(obj, personal.name, mask(personal.kind, value, Clearance.PUBLIC))
        model._default_manager.bulk_update(objects, [p.name for p in masked], batch_size=500)


def apply_batch(item: registry.PersonalData, pks) -> int:
    """Anonymise (or delete) the rows ``pks`` of ``item`` and their history, in one transaction."""
    model = item.model_class()
    with transaction.atomic():
        if item.retention.delete:
            history = _history_model(model)
            if history is not None:
                history._default_manager.filter(**{f"{model._meta.pk.attname}__in": pks}).delete()
            model._default_manager.filter(pk__in=pks).delete()
            return len(pks)
        _anonymise(model._default_manager.all(), item, "pk", pks)
        history = _history_model(model)
        if history is not None:
            _anonymise(history._default_manager.all(), item, model._meta.pk.attname, pks)
    return len(pks)


def rule_run(item: registry.PersonalData, *, now, dry_run=False, batch_size=None, progress=None) -> int:
    """Run one rule to the end in batches; the number of records changed (or that would be, on a dry run)."""
    batch_size = batch_size or settings.PRIVACY_RETENTION_BATCH
    rows = expired(item, now)
    if dry_run:
        return rows.count()
    done, last = 0, None
    while True:
        # A cursor on the key, so a value the rule cannot change (a two-digit "phone") is not met again and again.
        page = rows if last is None else rows.filter(pk__gt=last)
        pks = list(page.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            return done
        last = pks[-1]
        done += apply_batch(item, pks)
        if progress:
            progress(item, done)
        if len(pks) < batch_size:
            return done


def retention_run(*, dry_run=False, now=None, batch_size=None, progress=None, triggered_by="") -> RetentionRun | dict:
    """Run every rule. A real run is recorded (``RetentionRun``, counts per rule, errors per rule); a dry run answers
    the counts only. A failing rule is recorded and the others still run."""
    now = now or timezone.now()
    rules = [item for item in registry.declarations() if item.retention and not item.retention.handled_by]
    if dry_run:
        return {item.key: rule_run(item, now=now, dry_run=True) for item in rules}
    run = RetentionRun.objects.create(started_at=timezone.now(), triggered_by=triggered_by[:64])
    for item in rules:
        try:
            run.counts[item.key] = rule_run(item, now=now, batch_size=batch_size, progress=progress)
        except Exception as error:  # one broken rule must not stop the others; the run says which failed
            logger.exception("retention rule %s failed", item.key)
            run.errors[item.key] = str(error)[:500]
            run.counts.setdefault(item.key, 0)
        run.save(update_fields=["counts", "errors"])
    run.finished_at = timezone.now()
    run.status = RetentionRun.Status.FAILED if run.errors else RetentionRun.Status.FINISHED
    run.save(update_fields=["finished_at", "status"])
    logger.info("retention run %s: %s", run.pk, run.counts)
    return run
