"""The comparison (比对) of licences and places, and sending its findings back to their source departments."""
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import scope_filter
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError, NotFound
from apps.gbcp.models import Place
from apps.gbcp.validators import is_valid_uscc
from apps.ledger.models import ComparisonRun, Finding, Licence, LicenceKind, SendBack
from apps.ledger.policy import own_area, require
from apps.ledger.services._common import export, sha256

DEFAULT_FOOD_DEPARTMENT = "市场监督管理局"
DEFAULT_REGISTRATION_DEPARTMENT = "市场监督管理局"


def _finding_scope(user, region_code):
    q = Q()
    if region_code:
        q &= Q(region__code__startswith=region_code)
    if user is not None:
        q &= scope_filter(user, "region__code")
    return q


def comparison_run(*, user, region_code=None, today=None) -> ComparisonRun:
    """Run the cross-check rules over the places and licences of a region (default: the user's jurisdiction).

    A finding whose subject is already open (or sent back) is kept, not duplicated; open findings whose
    condition no longer holds are resolved.
    """
    require(user=user, step="compare", subject=own_area(user, region_code))
    today = today or timezone.localdate()
    place_q = _finding_scope(user, region_code)
    licence_q = Q(**({"region_code__startswith": region_code} if region_code else {}))
    if user is not None:
        licence_q &= scope_filter(user, "region_code")
    food = LicenceKind.objects.filter(code=LicenceKind.FOOD).first()
    with transaction.atomic(), acting_as(user):
        run = ComparisonRun.objects.create(started_by=user if getattr(user, "pk", None) else None, region_code=region_code or "")
        wanted: dict[str, dict] = {}

        restaurants = Place.objects.filter(place_q, kind=Place.Kind.RESTAURANT, is_active=True).select_related("region")
        valid_food = set()
        food_departments = {}
        if food is not None:
            food_licences = Licence.objects.filter(kind=food, place__in=restaurants).select_related("source_batch", "issuing_organization")
            for licence in food_licences:
                if licence.is_valid_on(today):
                    valid_food.add(licence.place_id)
                food_departments.setdefault(licence.place_id, licence.source_department or licence.department_name)
        for place in restaurants:
            if place.pk in valid_food:
                continue
            wanted[f"food:{place.pk}"] = dict(
                rule=Finding.Rule.RESTAURANT_WITHOUT_FOOD_LICENCE, place=place, entity_id=place.operator_id,
                department=food_departments.get(place.pk) or DEFAULT_FOOD_DEPARTMENT, region_code=place.region.code,
                detail=_("%(place)s (%(code)s) has no valid food business licence.") % {"place": place.name, "code": place.city_code},
            )

        stale = Licence.objects.filter(licence_q, status=Licence.Status.ACTIVE, valid_to__lt=today).select_related(
            "kind", "source_batch", "issuing_organization"
        )
        for licence in stale:
            wanted[f"expired:{licence.pk}"] = dict(
                rule=Finding.Rule.EXPIRED_STILL_ACTIVE, licence=licence, place_id=licence.place_id, entity_id=licence.holder_id,
                department=licence.source_department or licence.department_name, region_code=licence.region_code,
                detail=_("%(kind)s %(number)s ended on %(date)s but is marked active.") % {
                    "kind": licence.kind.name, "number": licence.number, "date": licence.valid_to.isoformat()},
            )

        operated = Place.objects.filter(place_q, operator__isnull=False, is_active=True).select_related("operator", "region")
        for place in operated:
            if not is_valid_uscc(place.operator.uscc):
                wanted[f"uscc:{place.pk}"] = dict(
                    rule=Finding.Rule.INVALID_OPERATOR_USCC, place=place, entity_id=place.operator_id,
                    department=DEFAULT_REGISTRATION_DEPARTMENT, region_code=place.region.code,
                    detail=_("%(entity)s, operator of %(place)s, has the invalid code %(uscc)s.") % {
                        "entity": place.operator.name, "place": place.name, "uscc": place.operator.uscc},
                )

        mismatched = Licence.objects.filter(
            licence_q, status=Licence.Status.ACTIVE, holder__isnull=False, place__operator__isnull=False
        ).exclude(holder_id=F("place__operator_id")).select_related("kind", "holder", "place__operator", "source_batch", "issuing_organization")
        for licence in mismatched:
            wanted[f"holder:{licence.pk}"] = dict(
                rule=Finding.Rule.HOLDER_NOT_OPERATOR, licence=licence, place_id=licence.place_id, entity_id=licence.holder_id,
                department=licence.source_department or licence.department_name, region_code=licence.region_code,
                detail=_("%(kind)s %(number)s is held by %(holder)s, but %(place)s is operated by %(operator)s.") % {
                    "kind": licence.kind.name, "number": licence.number, "holder": licence.holder.name,
                    "place": licence.place.name, "operator": licence.place.operator.name},
            )

        unresolved = Finding.objects.exclude(status=Finding.Status.RESOLVED)
        if region_code:
            unresolved = unresolved.filter(region_code__startswith=region_code)
        if user is not None:
            unresolved = unresolved.filter(scope_filter(user, "region_code"))
        existing = {f.key: f for f in unresolved}
        for key, values in wanted.items():
            if key in existing:
                run.findings_open += 1
                continue
            Finding.objects.create(run=run, key=key, **values)
            run.findings_new += 1
        now = timezone.now()
        for key, finding in existing.items():
            if key not in wanted:
                finding.status, finding.resolved_at = Finding.Status.RESOLVED, now
                finding.save(update_fields=["status", "resolved_at"])
                run.findings_resolved += 1
        run.save()
    return run


FINDING_COLUMNS = ["finding_id", "rule", "detail", "place_city_code", "place_name", "licence_kind", "licence_number",
                   "entity_uscc", "entity_name", "region_code", "found_at"]
FINDING_HEADERS_ZH = ["问题编号", "规则", "说明", "城市码", "场所名称", "证照类型", "证照编号", "统一社会信用代码", "主体名称", "区划代码", "发现时间"]


def _findings_table(findings) -> list[list]:
    rows = [FINDING_HEADERS_ZH]
    for f in findings:
        rows.append([
            f.pk, f.get_rule_display(), f.detail, f.place.city_code if f.place else "", f.place.name if f.place else "",
            f.licence.kind.name if f.licence else "", f.licence.number if f.licence else "",
            f.entity.uscc if f.entity else "", f.entity.name if f.entity else "", f.region_code,
            timezone.localtime(f.created_at).strftime("%Y-%m-%d %H:%M"),
        ])
    return rows


def finding_send_back(*, user, findings, department, fmt="csv") -> SendBack:
    """Export the findings for their source department and record that they were sent (who, when, file hash)."""
    require(user=user, step="send_back", subject=own_area(user))
    department = (department or "").strip()
    if not department:
        raise ApplicationError(_("Name the department to send to."), code="missing_department")
    ids = [f.pk for f in findings]
    if not ids:
        raise ApplicationError(_("Choose at least one finding."), code="no_findings")
    qs = Finding.objects.filter(pk__in=ids).select_related("place", "licence__kind", "entity")
    if user is not None:
        qs = qs.filter(scope_filter(user, "region_code"))
    chosen = list(qs.order_by("id"))
    if len(chosen) != len(set(ids)):
        raise NotFound()
    if any(f.status == Finding.Status.RESOLVED for f in chosen):
        raise ApplicationError(_("Resolved findings are not sent back."), code="finding_resolved")
    content, ext = export(_findings_table(chosen), fmt)
    now = timezone.now()
    codes = {f.region_code for f in chosen}
    region_code = codes.pop() if len(codes) == 1 else ""
    with transaction.atomic(), acting_as(user):
        send_back = SendBack.objects.create(
            kind=SendBack.Kind.FINDINGS, department=department, sent_at=now, sent_by=user if getattr(user, "pk", None) else None,
            file_name=f"ledger-findings-{timezone.localtime(now):%Y%m%d%H%M%S}.{ext}", file_sha256=sha256(content), content=content,
            region_code=region_code or (chosen[0].region_code[:6] if chosen else ""),
        )
        send_back.findings.set(chosen)
        for finding in chosen:
            finding.status = Finding.Status.SENT_BACK
            finding.save(update_fields=["status"])
    return send_back


