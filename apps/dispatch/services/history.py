"""Import of historical tasks (历史数据导入): closed tasks with their times, points, categories and sources.

Used by ``analytics_import_history`` (a city's real history from a CSV/XLSX export) and by the analytics demo seed
(generated history). No Viewflow process is started for history: a task closed years ago has no open step. Each
row is located by its point (apps.gbcp.locate), numbered by the city's task numbering (T + date + sequence) and
inserted in bulk. All or nothing: any bad row and nothing is written; the errors name the row numbers.
"""
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.dispatch.models import Source, Status, Task
from apps.dispatch.services.intake import _next_number, _tracking_code
from apps.gbcp.errors import ApplicationError
from apps.gbcp.locate import locate, make_point
from apps.gbcp.models import Category

BATCH = 2000
MAX_ROWS = 1_000_000


@dataclass
class HistoryRow:
    """One row as read from the file; ``number`` is the row number the person sees (header = 1)."""

    number: int
    time: object
    lon: object
    lat: object
    category: str
    source: str
    district: str = ""
    description: str = ""


def _parse_time(value):
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value or "").strip().replace("/", "-")
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _parse_float(value):
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def _checked(row: HistoryRow, categories: dict, now):
    """(fields for the task, None) or (None, list of messages)."""
    errors = []
    moment = _parse_time(row.time)
    if moment is None:
        errors.append(_("time is not a date and time (YYYY-MM-DD HH:MM)"))
    elif moment > now:
        errors.append(_("time lies in the future"))
    lon, lat = _parse_float(row.lon), _parse_float(row.lat)
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        errors.append(_("lon/lat are not a point"))
    category = categories.get(str(row.category or "").strip())
    if category is None:
        errors.append(_("unknown category code %(code)s") % {"code": row.category})
    source = str(row.source or "").strip()
    if source not in Source.values:
        errors.append(_("unknown source %(source)s") % {"source": source})
    if errors:
        return None, errors
    location = locate(make_point(lon, lat))
    if not location.found or location.district is None:
        return None, [_("the point lies outside the city's districts")]
    district = str(row.district or "").strip()
    if district and location.district.code != district:
        return None, [_("the point lies in %(found)s, not in district %(code)s") % {"found": location.district.code, "code": district}]
    region = location.region
    return {
        "received_at": moment, "point": location.point, "category": category, "source": source, "region": region,
        "region_code": region.code, "grid": location.grid, "organization": location.organization,
        "description": row.description or category.name,
    }, None


def history_import(*, user, rows, ref_prefix: str) -> int:
    """Create one closed task per row, all or nothing; returns the number created.

    Raises ``ApplicationError`` (code ``invalid_history``) with ``details`` {"row <n>": [messages]} when any row is bad.
    ``ref_prefix`` + the row number becomes the task's external reference (``demo-`` marks generated demo history).
    """
    rows = list(rows)
    if not rows:
        raise ApplicationError(_("The file holds no rows."), code="invalid_history")
    if len(rows) > MAX_ROWS:
        raise ApplicationError(_("At most %(n)s rows at a time.") % {"n": MAX_ROWS}, code="invalid_history")
    if Task.objects.filter(external_ref__startswith=ref_prefix).exists():  # the unique constraint holds only with a partner
        raise ApplicationError(_("These rows were imported before; nothing was imported."), code="invalid_history")
    categories = {c.code: c for c in Category.objects.filter(is_active=True)}
    now = timezone.now()
    fields, errors = [], {}
    for row in rows:
        found, problems = _checked(row, categories, now)
        if problems:
            errors[f"row {row.number}"] = problems
        else:
            fields.append((row.number, found))
    if errors:
        raise ApplicationError(_("%(n)s rows cannot be imported; nothing was imported.") % {"n": len(errors)}, code="invalid_history",
                               details=dict(list(errors.items())[:200]))
    try:
        with transaction.atomic():
            tasks = [Task(
                number=_next_number(f["received_at"]), tracking_code=_tracking_code(), external_ref=f"{ref_prefix}{number}"[:64],
                status=Status.CLOSED, solved=True, closed_at=f["received_at"], category_method="history", **f,
            ) for number, f in fields]
            Task.objects.bulk_create(tasks, batch_size=BATCH)
    except IntegrityError:  # imported at the same moment by someone else
        raise ApplicationError(_("These rows were imported before; nothing was imported."), code="invalid_history") from None
    return len(tasks)
