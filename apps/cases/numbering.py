"""Numbers of cases and their documents: per district and year (and kind), from the shared sequence kit."""
from django.utils import timezone

from apps.cases.models import CaseNumberSequence, Procedure
from apps.gbcp.models import Region
from apps.workflow.sequences import next_value


def district_of(region_code: str) -> Region | None:
    """The district (区) a region code lies in."""
    return Region.objects.filter(code=region_code[:6]).first()


def case_number(region_code: str, now, procedure: str) -> tuple[str, int, int]:
    """(number, sequence, year) of a new case, e.g. 东城城管立〔2026〕00012号; simple cases say 城管简."""
    year = timezone.localtime(now).year
    district = district_of(region_code)
    seq = next_value(CaseNumberSequence, f"C{region_code[:6]}{year}")
    prefix = (district.name.removesuffix("区") if district else region_code[:6]) + ("城管简" if procedure == Procedure.SIMPLE else "城管立")
    return f"{prefix}〔{year}〕{seq:05d}号", seq, year


def document_seq(region_code: str, year: int, kind: str) -> int:
    """The next sequence number of a document kind in the district and year."""
    return next_value(CaseNumberSequence, f"D{region_code[:6]}{year}{kind}")
