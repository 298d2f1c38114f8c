"""What Open311 reads: the public services, the requests the public may follow, and the partner behind an api_key."""
import datetime as dt
import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions

from apps.dispatch import selectors
from apps.dispatch.api.open311.errors import Open311Error
from apps.dispatch.models import Partner, Source, Status, Task
from apps.gbcp.api.params import parse_datetime_param

# Only what the public may follow: reports from outside. Patrol findings, sensor alarms and
# supervision items are internal work and stay invisible here.
PUBLIC_SOURCES = [Source.OPEN311, Source.CITIZEN, Source.HOTLINE]
DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000

CLOSED_Q = Q(status=Status.CLOSED) | Q(status=Status.MERGED, master__status=Status.CLOSED)


def public_categories():
    """Leaves (a deadline unit makes a leaf) open to public reports."""
    return selectors.leaf_categories(public_only=True).select_related("parent")


def visible_requests():
    return Task.objects.filter(source__in=PUBLIC_SOURCES).select_related("category", "organization", "master__organization", "open311_contact")


def request_by_id(service_request_id) -> Task:
    task = visible_requests().filter(number=service_request_id).first()
    if task is None:
        raise exceptions.NotFound(_("No service request %(id)s.") % {"id": service_request_id})
    return task


def partner_for_key(api_key) -> Partner | None:
    if not api_key:
        return None
    return Partner.objects.filter(open311_key_hash=Partner.hash_key(str(api_key)), is_active=True).first()


# A "+" left unencoded in a query string arrives as a space: 2026-03-01T08:00:00 08:00 meant +08:00.
_SPACE_FOR_PLUS = re.compile(r"^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)$")


def lenient_date(value) -> str:
    """What clients send for start_date/end_date, read as they meant it: the unencoded "+" of an offset, a lower-case
    "t" or "z", a comma before the fraction. Anything else is left for the strict parser to refuse."""
    text = str(value).strip()
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}.*", text):
        text = text[:10] + "T" + text[11:]
        text = re.sub(r"[zZ]$", "+00:00", text).replace(",", ".", 1)
        text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    return text


def filter_requests(tasks, params):
    """GET requests.json's filters: service_request_id (overrides the rest), service_code, start/end date, status."""
    ids = [i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        # The spec: service_request_id overrides every other parameter.
        return tasks.filter(number__in=ids[:MAX_RESULTS]).order_by("-received_at", "-id")
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        tasks = tasks.filter(category__code__in=codes)
    start = parse_datetime_param(lenient_date(params["start_date"]), "start_date") if params.get("start_date") else None
    end = parse_datetime_param(lenient_date(params["end_date"]), "end_date", end_of_day=True) if params.get("end_date") else None
    if start and end and end < start:
        raise Open311Error(_("end_date lies before start_date."))
    if start is None:
        start = (end or timezone.now()) - DEFAULT_WINDOW
    tasks = tasks.filter(received_at__gte=start)
    if end is not None:
        tasks = tasks.filter(received_at__lte=end)
    statuses = {s.strip().lower() for s in (params.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(_("status must be open, closed or both."))
    if statuses == {"open"}:
        tasks = tasks.exclude(CLOSED_Q)
    elif statuses == {"closed"}:
        tasks = tasks.filter(CLOSED_Q)
    return tasks.order_by("-received_at", "-id")
