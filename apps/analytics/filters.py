"""The filters every figure takes: period (whole local days), region (a code inside the viewer's jurisdiction),
category (a code; its subtree counts) and source. Parsed once from query parameters for pages and the API."""
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.dispatch.models import Source
from apps.gbcp.errors import ApplicationError


@dataclass(frozen=True)
class Filters:
    first: date            # first day, included
    last: date             # last day, included
    region: str = ""       # a region code prefix ("" = the whole jurisdiction)
    category: str = ""     # a category code ("" = all)
    source: str = ""       # a task source ("" = all)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        """The instant after the period (exclusive)."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def shifted(self, periods: int) -> "Filters":
        """The same filters over the period ``periods`` lengths earlier (negative) or later."""
        step = timedelta(days=self.days * periods)
        return replace(self, first=self.first + step, last=self.last + step)

    def query(self) -> str:
        parts = [f"from={self.first.isoformat()}", f"to={self.last.isoformat()}"]
        parts += [f"{k}={v}" for k, v in (("region", self.region), ("category", self.category), ("source", self.source)) if v]
        return "&".join(parts)

    def as_dict(self) -> dict:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "region": self.region, "category": self.category, "source": self.source}


def _bad(field, message):
    return ApplicationError(message, code="invalid_filter", details={field: [message]})


def _date(value, name):
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise _bad(name, _("%(name)s is not a date (YYYY-MM-DD).") % {"name": name}) from None
    if not date(1990, 1, 1) <= day <= date(2100, 12, 31):
        raise _bad(name, _("%(name)s is not a date (YYYY-MM-DD).") % {"name": name})
    return day


def parse_filters(params, *, today=None) -> Filters:
    """``from``/``to`` (default: the last ANALYTICS_DEFAULT_DAYS days up to yesterday), ``region``, ``category``, ``source``."""
    today = today or timezone.localdate()
    last = _date(params["to"], "to") if params.get("to") else today - timedelta(days=1)
    first = _date(params["from"], "from") if params.get("from") else last - timedelta(days=settings.ANALYTICS_DEFAULT_DAYS - 1)
    if last < first:
        raise _bad("to", _("The period ends before it starts."))
    if (last - first).days + 1 > settings.ANALYTICS_MAX_DAYS:
        raise _bad("from", _("A period is at most three years."))
    region = (params.get("region") or "").strip()
    if region and (not region.isdigit() or len(region) > 12):
        raise _bad("region", _("Unknown region."))
    source = (params.get("source") or "").strip()
    if source and source not in Source.values:
        raise _bad("source", _("Unknown source."))
    category = (params.get("category") or "").strip()[:16]
    return Filters(first=first, last=last, region=region, category=category, source=source)
